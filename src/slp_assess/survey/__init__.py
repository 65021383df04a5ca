"""Questionnaires as online surveys, and survey responses back as answer files.

``fields`` derives every name a survey tool sees from the questionnaire (one place, so that an
export maps back without configuration); ``xlsform`` and ``limesurvey`` build the survey files;
``responses`` reads CSV/XLSX sheets; ``mapping`` is the map-file format for other sheets;
``importer`` turns sheet rows into answer files; ``suggest`` drafts a map. None of them prints.
"""
