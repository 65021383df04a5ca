"""The report's own words in German and English; questionnaire texts come from the questionnaire.

Templates receive ``t`` (this table in the report language) and ``say(key, **values)`` for
sentences with placeholders.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "report_title": "Selbsteinschätzung der Stadt-Land-Partnerschaft",
        "report_kind_single": "Einzelauswertung",
        "report_kind_multi": "Gemeinsame Auswertung aller Beteiligten",
        "partnership": "Partnerschaft",
        "unnamed_partnership": "Partnerschaft ohne Namen",
        "questionnaire": "Fragebogen",
        "version": "Version",
        "assessed": "Befragung",
        "generated": "Bericht erstellt",
        "respondents": "Beteiligte",
        "respondent": "Person",
        "organisation": "Institution",
        "role": "Seite",
        "date": "Datum",
        "anonymized": "Namen und Institutionen sind in diesem Bericht anonymisiert.",
        "contents": "Inhalt",
        "summary": "Zusammenfassung",
        "overall": "Gesamtergebnis",
        "overall_sentence": "Die Partnerschaft erreicht insgesamt {score} von 100 Punkten; Stufe: {level}.",
        "capped_sentence": "Ohne die Blockaden läge die Partnerschaft rechnerisch eine Stufe höher; die Stufe ist wegen mindestens einer nicht erfüllten Kernfrage begrenzt.",
        "strongest": "Stärken",
        "weakest": "Schwächste Faktoren",
        "blockers": "Nicht erfüllte Kernanforderungen",
        "blockers_intro": "Aus dem Thesenpapier abgeleitete Kernanforderungen, die für mindestens eine Partnerseite (Stadt, Landkreis, Gemeinde) im Mittel unter 50 % der möglichen Punkte liegen. Eine Seite genügt, auch mit nur einer Person, denn sie kann für einen ganzen Partner sprechen. Sie begrenzen die Gesamtstufe.",
        "no_blockers": "Alle Kernanforderungen erreichen für jede Partnerseite im Mittel mindestens 50 % der Punkte.",
        "blocker_detail": "{score} von 100 Punkten; {below} von {n} Beteiligten unter der Hälfte",
        "blocker_sides": "nicht erfüllt aus Sicht von {sides}",
        "blocker_side": "{side} {score} (n = {n})",
        "blocker_mean": "Mittel aller Beteiligten: {mean}",
        "priorities": "Handlungsbedarf",
        "priorities_intro": "Die wichtigsten nächsten Schritte, höchstens fünf: zuerst nicht erfüllte Kernanforderungen, dann die schwächsten Faktoren, die in der aktuellen Phase erwartet werden.",
        "no_priorities": "Kein vorrangiger Handlungsbedarf: Alle Kernanforderungen sind erfüllt, und alle fälligen Faktoren erreichen die höchste Stufe.",
        "priority_blocker": "Kernanforderung nicht erfüllt",
        "priority_factor": "Schwacher Faktor",
        "first_step": "Erster Schritt",
        "practice": "Praxisempfehlung",
        "practice_note": "„Praxisempfehlung“ kennzeichnet Schritte aus der Planungspraxis, die nicht im Thesenpapier stehen.",
        "not_due": "kommt in der nächsten Phase",
        "phase": "Phase",
        "phase_sentence": "Phase der Partnerschaft: {phase} ({count} von {n} Beteiligten nennen sie). Faktoren, die erst in einer späteren Phase erwartet werden, sind mit „kommt in der nächsten Phase“ markiert; sie zählen weder zum Gesamtergebnis noch als nicht erfüllte Kernanforderung.",
        "phase_unknown": "Niemand hat die Phase der Partnerschaft angegeben; daher zählen alle Faktoren.",
        "single_voice": "Einzelstimme",
        "single_voice_note": "Seiten, für die nur eine Person spricht (Einzelstimme), werden gezeigt, aber nicht für Wahrnehmungsunterschiede verglichen.",
        "context": "Angaben zur Partnerschaft",
        "context_intro": "Nicht bewertete Angaben der Beteiligten, etwa zur Phase und zu den Herausforderungen der Partnerschaft.",
        "context_answered": "{n} Antworten",
        "session_notes": "Notizen der Sitzung",
        "session_notes_intro": "Notizen, die in der Sitzung für die ganze Runde festgehalten wurden.",
        "gaps": "Wahrnehmungsunterschiede",
        "gaps_intro": "Faktoren, bei denen die Mittelwerte der Seiten um 20 Punkte oder mehr auseinanderliegen.",
        "no_gaps": "Keine Wahrnehmungsunterschiede von 20 Punkten oder mehr.",
        "gap_sentence": "Die {low} bewertet „{factor}“ um {points} Punkte niedriger als die {high}.",
        "low_consensus": "Geringer Konsens",
        "low_consensus_intro": "Faktoren, bei denen die Einschätzungen der Beteiligten stark streuen (Standardabweichung ab 20 Punkten).",
        "by_group": "Ergebnis nach Seiten",
        "charts": "Überblick in Grafiken",
        "radar_title": "Netzdiagramm der Erfolgsfaktoren",
        "radar_desc": "Punkte je Faktor von 0 (Mitte) bis 100 (Rand); Ringe markieren die Stufengrenzen.",
        "bars_title": "Punkte je Faktor mit Stufengrenzen",
        "bars_desc": "Balken zeigen die Punkte je Faktor von 0 bis 100; senkrechte Linien markieren die Stufengrenzen.",
        "all_respondents": "alle Beteiligten",
        "factor": "Faktor",
        "factors": "Faktoren",
        "score": "Punkte",
        "level": "Stufe",
        "mean": "Mittel",
        "min": "Min.",
        "max": "Max.",
        "stdev": "Std.-Abw.",
        "n": "n",
        "coverage": "Abdeckung",
        "gap": "Unterschied",
        "section_score": "Abschnitt insgesamt",
        "item_answers": "Antworten im Einzelnen",
        "item": "Frage",
        "answer": "Antwort",
        "critical": "Kernanforderung",
        "reverse": "negativ formuliert",
        "not_applicable": "k. A.",
        "unanswered": "offen",
        "notes": "Anmerkungen der Beteiligten",
        "note_line": "{who} ({role}) zu „{item}“: {text}",
        "recommendations": "Handlungsempfehlungen",
        "recommendations_intro": "Für jeden Faktor unterhalb der höchsten Stufe nennt der Fragebogen nächste Schritte.",
        "no_recommendations": "Alle Faktoren erreichen die höchste Stufe; es gilt, das Erreichte zu sichern.",
        "no_recommendation_text": "Der Fragebogen nennt für diese Stufe keine Empfehlung.",
        "method": "Methodik",
        "method_scoring": "Bewertungsregeln",
        "method_rules": (
            "Jede Antwort wird auf 0 bis 1 umgerechnet: (Punkte der Antwort − niedrigste Punkte der Skala) / "
            "(höchste − niedrigste Punkte); negativ formulierte Aussagen werden umgekehrt. „Kann ich nicht "
            "beurteilen“ und offene Fragen bleiben außer Betracht. Der Faktorwert ist das gewichtete Mittel der "
            "Antworten, multipliziert mit 100, das Gesamtergebnis das gewichtete Mittel der Faktoren, die in der "
            "Phase der Partnerschaft erwartet werden. Jeder Wert wird kaufmännisch auf eine Nachkommastelle gerundet, "
            "und Stufen, Kernanforderungen und Hervorhebungen werden am gerundeten Wert entschieden; was darauf "
            "aufbaut, wird aus den gerundeten Werten berechnet. Erreicht eine Kernanforderung weniger als 50 %, ist "
            "die Gesamtstufe höchstens die mittlere Stufe."
        ),
        "method_aggregation": (
            "Bei mehreren Beteiligten ist der Faktorwert der Mittelwert ihrer Faktorwerte (fehlende Werte bleiben "
            "außer Betracht), ergänzt um Minimum, Maximum, Standardabweichung (der Grundgesamtheit) und Anzahl. Das "
            "Gesamtergebnis wendet die Gesamtregel auf die mittleren Faktorwerte an. Dieselben Mittelwerte werden "
            "je Seite gebildet (Stadt, Landkreis, Gemeinde, ländlicher Raum ohne nähere Angabe, Sonstige). Eine "
            "Kernanforderung ist nicht erfüllt, wenn der Mittelwert einer Partnerseite unter 50 % liegt – auch wenn "
            "nur eine Person für diese Seite spricht; Sonstige allein entscheiden nicht. Als Phase gilt die Angabe "
            "der meisten Beteiligten (bei Gleichstand die frühere). Ein Wahrnehmungsunterschied ist die Differenz "
            "zwischen dem höchsten und dem niedrigsten Mittelwert der Seiten mit mindestens zwei Personen; ab 20 "
            "Punkten wird er hervorgehoben, ebenso eine Standardabweichung ab 20 Punkten."
        ),
        "method_levels": "Stufen",
        "meaning": "Bedeutung",
        "method_sources": "Grundlage im Thesenpapier",
        "threshold_range": "{low} bis unter {high} Punkte",
        "threshold_top": "ab {low} Punkten",
        "from_paper": "Quelle",
        "no_data": "keine Daten",
        "generator": "Erstellt mit {generator}",
        "index_title": "Übersicht der Stadt-Land-Partnerschaften",
        "index_intro": "Eine Zeile je Partnerschaft; der Name führt zum ausführlichen Bericht.",
        "largest_gap": "Größter Wahrnehmungsunterschied",
        "weakest_factor": "Schwächster Faktor",
        "none": "keine",
        "compare_title": "Entwicklung der Stadt-Land-Partnerschaft",
        "compare_intro": "Vergleich der Befragung vom {old} ({old_n} Beteiligte) mit der Befragung vom {new} ({new_n} Beteiligte).",
        "before": "Vorher",
        "after": "Nachher",
        "change": "Veränderung",
        "trend": "Tendenz",
        "improved": "verbessert",
        "worsened": "verschlechtert",
        "unchanged": "unverändert",
        "level_up": "Stufe aufgestiegen",
        "level_down": "Stufe abgestiegen",
        "level_same": "Stufe gleich",
        "unknown_date": "(Datum unbekannt)",
        "legend": "Legende",
    },
    "en": {
        "report_title": "Urban–rural partnership self-assessment",
        "report_kind_single": "Individual assessment",
        "report_kind_multi": "Joint assessment of all participants",
        "partnership": "Partnership",
        "unnamed_partnership": "Unnamed partnership",
        "questionnaire": "Questionnaire",
        "version": "version",
        "assessed": "Assessed",
        "generated": "Report date",
        "respondents": "Participants",
        "respondent": "Participant",
        "organisation": "Organisation",
        "role": "Side",
        "date": "Date",
        "anonymized": "Names and organisations are anonymised in this report.",
        "contents": "Contents",
        "summary": "Executive summary",
        "overall": "Overall result",
        "overall_sentence": "Overall the partnership reaches {score} of 100 points; level: {level}.",
        "capped_sentence": "Without the blockers the partnership would be one level higher; the level is capped because at least one key question is not met.",
        "strongest": "Strengths",
        "weakest": "Weakest factors",
        "blockers": "Key requirements not met",
        "blockers_intro": "Key requirements derived from the thesis paper whose mean is below 50 % of the possible points for at least one partner side (city, district, municipality). One side is enough, even with a single person, since one person may speak for a whole partner. They cap the overall level.",
        "no_blockers": "Every key requirement reaches at least 50 % of the points on average for every partner side.",
        "blocker_detail": "{score} of 100 points; {below} of {n} participants below half",
        "blocker_sides": "not met for {sides}",
        "blocker_side": "{side} {score} (n = {n})",
        "blocker_mean": "mean of all participants: {mean}",
        "priorities": "What to do first",
        "priorities_intro": "The most important next steps, five at most: key requirements not met first, then the weakest factors expected in the current phase.",
        "no_priorities": "Nothing urgent: every key requirement is met and every factor that is due reaches the top level.",
        "priority_blocker": "Key requirement not met",
        "priority_factor": "Weak factor",
        "first_step": "First step",
        "practice": "practice guidance",
        "practice_note": "“Practice guidance” marks steps from planning practice that the thesis paper does not contain.",
        "not_due": "due in a later phase",
        "phase": "Phase",
        "phase_sentence": "Phase of the partnership: {phase} (named by {count} of {n} participants). Factors expected only in a later phase are marked “due in a later phase”; they count neither towards the overall result nor as unmet key requirements.",
        "phase_unknown": "Nobody named the partnership's phase, so every factor counts.",
        "single_voice": "single voice",
        "single_voice_note": "Sides for which only one person speaks (single voice) are shown but not compared for perception gaps.",
        "context": "About the partnership",
        "context_intro": "Unscored answers of the participants, e.g. on the phase and the challenges of the partnership.",
        "context_answered": "{n} answers",
        "session_notes": "Notes of the session",
        "session_notes_intro": "Notes kept during the session for the group as a whole.",
        "gaps": "Perception gaps",
        "gaps_intro": "Factors where the means of the sides differ by 20 points or more.",
        "no_gaps": "No perception gaps of 20 points or more.",
        "gap_sentence": "The {low} rates “{factor}” {points} points lower than the {high}.",
        "low_consensus": "Low consensus",
        "low_consensus_intro": "Factors where participants' views vary widely (standard deviation of 20 points or more).",
        "by_group": "Results by side",
        "charts": "Charts",
        "radar_title": "Radar chart of the success factors",
        "radar_desc": "Points per factor from 0 (centre) to 100 (edge); rings mark the level thresholds.",
        "bars_title": "Points per factor with level thresholds",
        "bars_desc": "Bars show the points per factor from 0 to 100; vertical lines mark the level thresholds.",
        "all_respondents": "all participants",
        "factor": "Factor",
        "factors": "Factors",
        "score": "Points",
        "level": "Level",
        "mean": "Mean",
        "min": "Min",
        "max": "Max",
        "stdev": "Std dev",
        "n": "n",
        "coverage": "Coverage",
        "gap": "Gap",
        "section_score": "Section overall",
        "item_answers": "Answers in detail",
        "item": "Question",
        "answer": "Answer",
        "critical": "key requirement",
        "reverse": "negatively phrased",
        "not_applicable": "n/a",
        "unanswered": "blank",
        "notes": "Participants' notes",
        "note_line": "{who} ({role}) on “{item}”: {text}",
        "recommendations": "Recommendations",
        "recommendations_intro": "For every factor below the top level the questionnaire names next steps.",
        "no_recommendations": "Every factor reaches the top level; the task is to secure what has been achieved.",
        "no_recommendation_text": "The questionnaire names no recommendation for this level.",
        "method": "Method",
        "method_scoring": "Scoring rules",
        "method_rules": (
            "Each answer is converted to 0 to 1: (points of the answer − lowest points of the scale) / "
            "(highest − lowest points); negatively phrased statements are reversed. “Cannot judge” and blank "
            "questions are left out. A factor's score is the weighted mean of its answers multiplied by 100, the "
            "overall score the weighted mean of the factors expected in the partnership's phase. Every value is "
            "rounded half up to one decimal, and levels, key requirements and flags are decided on the rounded "
            "value; what builds on it is computed from the rounded values. If a key requirement scores below "
            "50 %, the overall level is at most the middle level."
        ),
        "method_aggregation": (
            "With several participants a factor's score is the mean of their factor scores (missing ones left "
            "out), with minimum, maximum, (population) standard deviation and count. The overall rule is applied "
            "to the mean factor scores. The same means are computed per side (city, district, municipality, "
            "rural not specified, other). A key requirement is not met when one partner side's mean is below "
            "50 % – even if a single person speaks for that side; “other” alone does not decide. The phase is "
            "the one most participants name (on a tie the earlier one). A perception gap is the difference "
            "between the highest and the lowest mean of the sides with at least two people; 20 points or more is "
            "flagged, and so is a standard deviation of 20 points or more."
        ),
        "method_levels": "Levels",
        "meaning": "Meaning",
        "method_sources": "Basis in the thesis paper",
        "threshold_range": "{low} to below {high} points",
        "threshold_top": "{low} points or more",
        "from_paper": "Source",
        "no_data": "no data",
        "generator": "Made with {generator}",
        "index_title": "Overview of urban–rural partnerships",
        "index_intro": "One row per partnership; the name links to the full report.",
        "largest_gap": "Largest perception gap",
        "weakest_factor": "Weakest factor",
        "none": "none",
        "compare_title": "Progress of the urban–rural partnership",
        "compare_intro": "Comparison of the assessment of {old} ({old_n} participants) with the assessment of {new} ({new_n} participants).",
        "before": "Before",
        "after": "After",
        "change": "Change",
        "trend": "Trend",
        "improved": "improved",
        "worsened": "worsened",
        "unchanged": "unchanged",
        "level_up": "level up",
        "level_down": "level down",
        "level_same": "same level",
        "unknown_date": "an unknown date",
        "legend": "Legend",
    },
}

# "the rural side rates ... lower than the city side": sides as the subject of a sentence.
SIDES: dict[str, dict[str, str]] = {
    "de": {
        "stadt": "städtische Seite", "landkreis": "Seite der Landkreise", "gemeinde": "Seite der Gemeinden",
        "land": "ländliche Seite", "other": "Gruppe „Sonstige“",
    },
    "en": {
        "stadt": "city side", "landkreis": "district side", "gemeinde": "municipal side", "land": "rural side",
        "other": "group “other”",
    },
}

MONTHS = {
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}


def texts(lang: str) -> dict[str, str]:
    """The table for ``lang``, English for languages we do not have."""
    return TEXTS.get(lang, TEXTS["en"])


def side(role: str, label: str, lang: str) -> str:
    """A role group as the subject of a sentence; unknown roles by their label."""
    known = SIDES.get(lang, SIDES["en"])
    if role in known:
        return known[role]
    return f"Gruppe „{label}“" if lang == "de" else f"group “{label}”"
