"""Texts a workshop participant or planner reads, in German and English.

Questionnaire texts come from the questionnaire files; this table holds the tool's own words.
"""

from __future__ import annotations

from collections.abc import Mapping

from slp_assess.errors import UsageError
from slp_assess.oneline import quoted

LANGUAGES = ("de", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "not_applicable": {"de": "kann ich nicht beurteilen", "en": "cannot judge"},
    "no_data": {"de": "keine Daten", "en": "no data"},
    "template.header": {
        "de": "Antwortbogen für {title} ({id}, Version {version})",
        "en": "Answer sheet for {title} ({id}, version {version})",
    },
    "template.howto": {
        "de": "Tragen Sie hinter jeder Frage den Schlüssel einer Antwort ein (z. B. 4) oder n/a für „kann ich nicht beurteilen“.\nLeer gelassene Fragen gelten als unbeantwortet. Eine Anmerkung: {{value: \"4\", note: \"…\"}}",
        "en": "Enter the key of an answer after each question (e.g. 4), or n/a for \"cannot judge\".\nQuestions left blank count as unanswered. With a note: {{value: \"4\", note: \"…\"}}",
    },
    "template.role": {
        "de": "stadt | landkreis | gemeinde | land (ländlich, ohne Angabe) | sonstige",
        "en": "stadt (city) | landkreis (district) | gemeinde (municipality) | land (rural, unspecified) | other",
    },
    "template.options": {"de": "Antworten", "en": "Answers"},
    "template.choices": {"de": "Auswahl", "en": "Choices"},
    "template.multiple": {"de": "mehrere möglich, als Liste: [a, b]", "en": "several allowed, as a list: [a, b]"},
    "template.free_text": {"de": "freier Text", "en": "free text"},
    "template.critical": {"de": "Kernanforderung", "en": "key requirement"},
    "template.context": {"de": "Angaben zur Partnerschaft (nicht bewertet)", "en": "About the partnership (not scored)"},
    "role.stadt": {"de": "Stadt", "en": "city"},
    "role.landkreis": {"de": "Landkreis", "en": "district"},
    "role.gemeinde": {"de": "Gemeinde", "en": "municipality"},
    "role.land": {"de": "ländlich (ohne Angabe)", "en": "rural (unspecified)"},
    "role.other": {"de": "Sonstige", "en": "other"},
    "report.person": {"de": "Person {n}", "en": "Respondent {n}"},
    # --- slp assess: the workshop screen ---
    "assess.purpose": {"de": "Worum es geht", "en": "What this is about"},
    "assess.size": {
        "de": "{questions} Fragen, etwa {minutes} Minuten.",
        "en": "{questions} questions, about {minutes} minutes.",
    },
    "assess.keys": {
        "de": "Tasten: Nummer = Antwort · n = kann ich nicht beurteilen · ? = Hilfe und Quelle · b = zurück · s = später · + = Notiz · q = speichern und beenden",
        "en": "Keys: number = answer · n = cannot judge · ? = help and source · b = back · s = later · + = note · q = save and quit",
    },
    "assess.keys_short": {
        "de": "n kann ich nicht beurteilen · ? Hilfe · b zurück · s später · + Notiz · q Ende",
        "en": "n cannot judge · ? help · b back · s later · + note · q quit",
    },
    "assess.keys_context": {
        "de": "? Hilfe · b zurück · s später · q beenden",
        "en": "? help · b back · s later · q quit",
    },
    "assess.group_order": {
        "de": "Eine Zeile je Frage, eine Antwort je Person in dieser Reihenfolge: {names}. Beispiel: {example}  (- = keine Antwort)",
        "en": "One line per question, one answer per person in this order: {names}. Example: {example}  (- = no answer)",
    },
    "assess.saving_to": {"de": "Jede Antwort wird sofort gespeichert in: {path}", "en": "Every answer is saved at once to: {path}"},
    "assess.resumed": {
        "de": "Fortsetzung: {done} von {total} Fragen sind beantwortet.",
        "en": "Resuming: {done} of {total} questions are answered.",
    },
    "assess.migrated": {
        "de": "Auf Version {version} übertragen. Nicht übernommen (Frage entfällt oder Antwort ungültig): {ids}",
        "en": "Carried over to version {version}. Dropped (question gone or answer no longer valid): {ids}",
    },
    "assess.backup": {"de": "Die alte Datei bleibt erhalten als {path}", "en": "The old file is kept as {path}"},
    "assess.prompt.partnership": {"de": "Name der Partnerschaft", "en": "Name of the partnership"},
    "assess.prompt.respondent": {"de": "Ihr Name", "en": "Your name"},
    "assess.prompt.role": {"de": "Ihre Seite: stadt, land oder sonstige", "en": "Your side: stadt (city), land (rural) or other"},
    "assess.prompt.note": {"de": "Notiz (leer = Notiz entfernen)", "en": "Note (empty = remove the note)"},
    "assess.factor": {"de": "Faktor", "en": "Factor"},
    "assess.critical": {"de": "Kernanforderung", "en": "key requirement"},
    "assess.context_title": {"de": "Angaben zur Partnerschaft (nicht bewertet)", "en": "About the partnership (not scored)"},
    "assess.free_text": {"de": "Antwort als freier Text", "en": "answer in your own words"},
    "assess.several": {"de": "mehrere möglich, z. B. 1 3", "en": "several allowed, e.g. 1 3"},
    "assess.current": {"de": "Bisherige Antwort: {answer}", "en": "Current answer: {answer}"},
    "assess.note": {"de": "Notiz: {note}", "en": "Note: {note}"},
    "assess.reoffer": {
        "de": "Übersprungene Frage – noch einmal angeboten (s = offen lassen)",
        "en": "Skipped question – offered once more (s = leave it open)",
    },
    "assess.no_help": {"de": "Zu dieser Frage gibt es keinen Hilfetext.", "en": "There is no help text for this question."},
    "assess.source": {"de": "Aus dem Thesenpapier", "en": "From the thesis paper"},
    "assess.note_saved": {"de": "Notiz gespeichert.", "en": "Note saved."},
    "assess.note_removed": {"de": "Notiz entfernt.", "en": "Note removed."},
    "assess.first": {"de": "Dies ist die erste Frage.", "en": "This is the first question."},
    "assess.spread": {"de": "Spanne {low}–{high}", "en": "Range {low}–{high}"},
    "assess.spread_na": {"de": "{count}× n/a", "en": "{count}× n/a"},
    "assess.spread_missing": {"de": "{count}× ohne Antwort", "en": "{count}× no answer"},
    "assess.disagree": {
        "de": "Die Einschätzungen liegen weit auseinander – kurz besprechen? (b = zurück und ändern)",
        "en": "The views are far apart – discuss briefly? (b = back and change)",
    },
    "assess.quit": {"de": "Gespeichert in {path}. Fortsetzen mit: {command}", "en": "Saved to {path}. Resume with: {command}"},
    "assess.interrupted": {
        "de": "Unterbrochen – alle Antworten bis hierher sind gespeichert.",
        "en": "Interrupted – every answer so far is saved.",
    },
    "assess.summary": {"de": "Ergebnis", "en": "Result"},
    "assess.overall": {"de": "Gesamt: {score} von 100 – {level}", "en": "Overall: {score} of 100 – {level}"},
    "assess.answered": {"de": "{done} von {total} Fragen beantwortet", "en": "{done} of {total} questions answered"},
    "assess.col.factor": {"de": "Faktor", "en": "Factor"},
    "assess.col.score": {"de": "Punkte", "en": "Score"},
    "assess.col.level": {"de": "Stufe", "en": "Level"},
    "assess.col.scored": {"de": "bewertet", "en": "scored"},
    "assess.col.person": {"de": "Person", "en": "Person"},
    "assess.col.side": {"de": "Seite", "en": "Side"},
    "assess.col.range": {"de": "Spanne", "en": "Range"},
    "assess.blockers": {"de": "Nicht erfüllte Kernanforderungen (unter 50 %)", "en": "Key requirements not met (below 50 %)"},
    "assess.priorities": {"de": "Handlungsbedarf", "en": "What to do first"},
    "assess.not_due": {"de": "kommt in der nächsten Phase", "en": "due in a later phase"},
    "assess.recommendations": {"de": "Nächste Schritte", "en": "Next steps"},
    "assess.result_file": {"de": "Antworten: {path} – auswerten mit: {command}", "en": "Answers: {path} – score with: {command}"},
    "hint.option": {
        "de": "„{token}“ ist hier keine gültige Antwort. Bitte {first}–{last}, n, ?, b, s, + oder q eingeben.",
        "en": "'{token}' is not an answer here. Please type {first}–{last}, n, ?, b, s, + or q.",
    },
    "hint.empty": {"de": "Bitte {first}–{last} eingeben (oder n, ?, b, s, +, q).", "en": "Please type {first}–{last} (or n, ?, b, s, +, q)."},
    "hint.one_answer": {"de": "Bitte nur eine Antwort: {first}–{last} oder n.", "en": "Please give one answer: {first}–{last} or n."},
    "hint.required": {
        "de": "Diese Frage braucht eine Antwort; „kann ich nicht beurteilen“ ist hier nicht möglich (s = später).",
        "en": "This question needs an answer; 'cannot judge' is not possible here (s = later).",
    },
    "hint.group_count": {
        "de": "Bitte {expected} Antworten eingeben, eine je Person (erhalten: {got}); - = keine Antwort.",
        "en": "Please type {expected} answers, one per person (got {got}); - = no answer.",
    },
    "hint.group_all_abstain": {"de": "Niemand hat geantwortet; s = später.", "en": "Nobody answered; s = later."},
    "hint.empty_context": {"de": "Bitte eine Antwort eingeben (oder s = später).", "en": "Please type an answer (or s = later)."},
    "hint.choice": {
        "de": "„{token}“ ist keine Auswahl. Bitte 1–{last} eingeben.",
        "en": "'{token}' is not a choice. Please type 1–{last}.",
    },
    "hint.single_choice": {"de": "Bitte nur eine Auswahl.", "en": "Please choose only one."},
    "assess.note_pending": {
        "de": "Notiz gespeichert; die Antwort steht noch aus.",
        "en": "Note saved; the answer is still open.",
    },
    "hint.no_note_here": {"de": "Notizen gibt es nur bei bewerteten Fragen.", "en": "Notes are for scored questions only."},
    "hint.role": {
        "de": "Bitte stadt, land oder sonstige eingeben (auch landkreis oder gemeinde).",
        "en": "Please type stadt, land or other (also landkreis or gemeinde).",
    },
    "hint.required_text": {"de": "Bitte etwas eingeben.", "en": "Please type something."},
    "hint.participant_name": {"de": "Teilnehmer ohne Namen: „{entry}“", "en": "participant without a name: '{entry}'"},
    "hint.participant_role": {
        "de": "unbekannte Seite in „{entry}“: {roles}",
        "en": "unknown side in '{entry}': use {roles}",
    },
    "hint.participant_twice": {"de": "{name} ist doppelt genannt", "en": "{name} is named twice"},
    "hint.participant_none": {"de": "keine Teilnehmer genannt", "en": "no participants given"},
    # --- slp migrate ---
    "migrate.question_gone": {"de": "die Frage gibt es nicht mehr", "en": "the question no longer exists"},
    "migrate.value_unfit": {"de": "die Antwort passt nicht zur neuen Skala", "en": "the answer does not fit the new scale"},
    "migrate.summary": {
        "de": "{file}: Version {old} → {new}: {kept} übernommen, {renamed} umbenannt, {rescaled} umgerechnet, {dropped} entfallen",
        "en": "{file}: version {old} → {new}: {kept} kept, {renamed} renamed, {rescaled} re-scaled, {dropped} dropped",
    },
    "migrate.dropped": {"de": "  entfallen: {id} – {reason}", "en": "  dropped: {id} – {reason}"},
    "migrate.note_to": {"de": "(die Notiz steht jetzt bei {id})", "en": "(its note now stands with {id})"},
    "migrate.note_lost": {
        "de": "(die Notiz wird nicht übernommen, keine Frage der neuen Version nimmt sie auf; sie bleibt in der Originaldatei)",
        "en": "(its note is not carried over, no question of the new version takes it; it stays in the original file)",
    },
    "migrate.renamed": {"de": "  umbenannt: {old} → {new}", "en": "  renamed: {old} → {new}"},
    "migrate.rescaled": {"de": "  umgerechnet: {old} → {new}", "en": "  re-scaled: {old} → {new}"},
    "migrate.current": {"de": "{file}: bereits Version {version}", "en": "{file}: already version {version}"},
    "migrate.backup": {"de": "  Original gesichert als {path}", "en": "  original kept as {path}"},
    "migrate.dry_run": {"de": "Probelauf: keine Datei wurde geändert.", "en": "Dry run: no file was changed."},
    # --- slp assess: group mode (issue 12) ---
    "role_short.stadt": {"de": "Stadt", "en": "city"},
    "role_short.landkreis": {"de": "Landkreis", "en": "district"},
    "role_short.gemeinde": {"de": "Gemeinde", "en": "municipality"},
    "role_short.land": {"de": "ländlich", "en": "rural"},
    "role_short.other": {"de": "Sonstige", "en": "other"},
    "assess.exists": {
        "de": "{path} gibt es schon: fortsetzen mit `{command}` oder neu beginnen mit --force",
        "en": "{path} exists: continue it with `{command}`, or start over with --force",
    },
    "assess.nothing_saved": {
        "de": "Unterbrochen vor der ersten Antwort – es wurde nichts gespeichert.",
        "en": "Interrupted before the first answer – nothing was saved.",
    },
    "assess.note_session_choice": {"de": "0 = Notiz der ganzen Sitzung", "en": "0 = a note of the whole session"},
    "assess.prompt.note_who": {"de": "Wessen Notiz (0–{last})", "en": "Whose note (0–{last})"},
    "hint.note_who": {"de": "Bitte eine Zahl von 0 bis {last} eingeben.", "en": "Please type a number from 0 to {last}."},
    "assess.note_of": {"de": "Notiz von {name}: {note}", "en": "Note by {name}: {note}"},
    "assess.note_session": {"de": "Notiz der Sitzung: {note}", "en": "Session note: {note}"},
    "assess.group_view": {"de": "Gruppenergebnis", "en": "Group result"},
    "assess.side_people": {"de": "{side} ({n}): {names}", "en": "{side} ({n}): {names}"},
    "assess.mean": {"de": "Ø {score}", "en": "mean {score}"},
    "assess.side_mean": {"de": "{side} {score}", "en": "{side} {score}"},
    "assess.gap_points": {"de": "Unterschied {points}", "en": "gap {points}"},
    "assess.gaps": {"de": "Wahrnehmungsunterschiede (20 Punkte und mehr)", "en": "Perception gaps (20 points or more)"},
    "assess.gap_line": {
        "de": "{factor}: {low} {low_score}, {high} {high_score} – {points} Punkte Unterschied",
        "en": "{factor}: {low} {low_score}, {high} {high_score} – {points} points apart",
    },
    "assess.critical_gap_line": {
        "de": "Kernanforderung „{item}“: {low} {low_score}, {high} {high_score} – {points} Punkte Unterschied",
        "en": "Key requirement “{item}”: {low} {low_score}, {high} {high_score} – {points} points apart",
    },
    "assess.no_gaps": {
        "de": "Keine Wahrnehmungsunterschiede von 20 Punkten oder mehr zwischen Seiten mit mindestens zwei Personen.",
        "en": "No perception gap of 20 points or more between sides with at least two people.",
    },
    "assess.blocker_sides": {"de": "nicht erfüllt aus Sicht von: {sides}", "en": "not met in the view of: {sides}"},
    "assess.blocker_all": {"de": "Mittel aller: {score} %", "en": "mean of all: {score} %"},
    "assess.single_voices": {
        "de": "Einzelstimmen (nur eine Person spricht für die Seite; nicht für Unterschiede verglichen)",
        "en": "Single voices (one person speaks for the side; not compared for gaps)",
    },
    "assess.single_voice_line": {"de": "{side}: {names}", "en": "{side}: {names}"},
    "assess.no_score": {"de": "–", "en": "–"},
    # --- slp serve: the phone and presenter pages (issue 12) ---
    "serve.exists": {
        "de": "{path} enthält schon einen Workshop: fortsetzen mit `{command}` oder neu beginnen mit --force",
        "en": "{path} already holds a workshop: continue it with `{command}`, or start over with --force",
    },
    "serve.join_title": {"de": "Willkommen zum Workshop", "en": "Welcome to the workshop"},
    "serve.join_intro": {
        "de": "Sie beantworten die Fragen auf Ihrem Telefon. Ihre Antworten werden nur auf dem Rechner der Moderation gespeichert.",
        "en": "You answer the questions on your phone. Your answers are saved only on the moderator's computer.",
    },
    "serve.name": {"de": "Ihr Name (oder leer lassen: anonym mit Nummer)", "en": "Your name (or leave it empty: anonymous with a number)"},
    "serve.side": {"de": "Für welche Seite sprechen Sie?", "en": "Which side do you speak for?"},
    "serve.join": {"de": "Teilnehmen", "en": "Join"},
    "serve.anonymous": {"de": "Teilnehmer {n}", "en": "Participant {n}"},
    "serve.question_of": {"de": "Frage {n} von {total}", "en": "Question {n} of {total}"},
    "serve.note": {"de": "Notiz (freiwillig)", "en": "Note (optional)"},
    "serve.send": {"de": "Antworten", "en": "Answer"},
    "serve.back": {"de": "Zurück", "en": "Back"},
    "serve.skip": {"de": "Später", "en": "Later"},
    "serve.your_answer": {"de": "Ihre Antwort: {answer}", "en": "Your answer: {answer}"},
    "serve.change": {"de": "Sie können Ihre Antwort ändern, bis es weitergeht.", "en": "You can change your answer until the room moves on."},
    "serve.waiting": {"de": "Danke! Gleich geht es weiter.", "en": "Thank you! The next question comes shortly."},
    "serve.done_title": {"de": "Vielen Dank!", "en": "Thank you!"},
    "serve.done": {
        "de": "Alle Ihre Antworten sind gespeichert. Das Ergebnis sehen Sie gleich auf der Leinwand.",
        "en": "All your answers are saved. You will see the result on the screen shortly.",
    },
    "serve.joined_as": {"de": "Angemeldet als {name} ({side})", "en": "Joined as {name} ({side})"},
    "serve.several": {"de": "mehrere möglich", "en": "several allowed"},
    "serve.your_text": {"de": "Ihre Antwort", "en": "Your answer"},
    "serve.refused.not_open": {
        "de": "Diese Frage ist gerade nicht offen – hier ist die aktuelle.",
        "en": "That question is not open now – here is the current one.",
    },
    "serve.refused.value": {"de": "Bitte eine der Antworten wählen.", "en": "Please choose one of the answers."},
    "serve.refused.form": {
        "de": "Das Formular ist abgelaufen. Bitte noch einmal versuchen.",
        "en": "The form has expired. Please try again.",
    },
    "serve.refused.rate": {"de": "Zu viele Anfragen – bitte einen Moment warten.", "en": "Too many requests – please wait a moment."},
    "serve.refused.large": {"de": "Die Eingabe ist zu lang.", "en": "The input is too long."},
    "serve.not_found": {"de": "Nicht gefunden.", "en": "Not found."},
    "serve.presenter": {"de": "Workshop {partnership}", "en": "Workshop {partnership}"},
    "serve.scan": {"de": "Zum Mitmachen scannen", "en": "Scan to take part"},
    "serve.joined": {"de": "{n} Teilnehmende", "en": "{n} participants"},
    "serve.progress": {"de": "{done} von {total}", "en": "{done} of {total}"},
    "serve.mode.self": {"de": "jede und jeder im eigenen Tempo", "en": "everyone at their own pace"},
    "serve.mode.moderated": {"de": "moderiert", "en": "moderated"},
    "serve.answered": {"de": "{done} von {total} haben geantwortet", "en": "{done} of {total} have answered"},
    "serve.hidden": {
        "de": "Die Verteilung erscheint, wenn alle geantwortet haben.",
        "en": "The distribution appears once everyone has answered.",
    },
    "serve.next": {"de": "Weiter", "en": "Next"},
    "serve.prev": {"de": "Zurück", "en": "Back"},
    "serve.reveal": {"de": "Aufdecken", "en": "Reveal"},
    "serve.finish": {"de": "Ergebnis zeigen", "en": "Show the result"},
    "serve.col.option": {"de": "Antwort", "en": "Answer"},
    "serve.col.all": {"de": "alle", "en": "all"},
    "serve.col.name": {"de": "Name", "en": "Name"},
    "serve.col.side": {"de": "Seite", "en": "Side"},
    "serve.col.progress": {"de": "beantwortet", "en": "answered"},
    "serve.no_one": {"de": "Noch niemand ist beigetreten.", "en": "Nobody has joined yet."},
    "serve.result": {"de": "Ergebnis der Gruppe", "en": "The group's result"},
    "serve.no_answers": {"de": "Noch keine Antworten.", "en": "No answers yet."},
    "serve.listening": {
        "de": "Teilnehmende öffnen: {url}",
        "en": "Participants open: {url}",
    },
    "serve.presenter_url": {"de": "Leinwand (Presenter) öffnen: {url}", "en": "Projector (presenter) opens: {url}"},
    "serve.keys": {
        "de": "Tasten: n weiter · p zurück · r aufdecken · e Ergebnis · m Modus · q beenden",
        "en": "Keys: n next · p back · r reveal · e result · m mode · q quit",
    },
    "serve.loopback": {
        "de": "Nur auf diesem Rechner erreichbar; für Telefone im WLAN mit --lan starten.",
        "en": "Reachable on this computer only; start with --lan for phones on the Wi-Fi.",
    },
    "serve.stopped": {"de": "Workshop beendet; alle Antworten sind gespeichert in {path}.", "en": "Workshop stopped; every answer is saved in {path}."},
    "serve.resume": {"de": "Fortsetzen mit: {command}", "en": "Resume with: {command}"},
    # --- slp serve: a save that fails (full disk, no permission) changes nothing (fix-serve) ---
    "serve.unsaved.answer": {
        "de": "Ihre Antwort konnte nicht gespeichert werden. Bitte senden Sie sie noch einmal.",
        "en": "Your answer could not be saved. Please send it again.",
    },
    "serve.unsaved.join": {
        "de": "Ihre Anmeldung konnte nicht gespeichert werden. Bitte senden Sie sie noch einmal.",
        "en": "Your joining could not be saved. Please send it again.",
    },
    "serve.unsaved.moderate": {
        "de": "Der Schritt konnte nicht gespeichert werden; der Raum bleibt, wo er war. Bitte noch einmal versuchen.",
        "en": "The step could not be saved; the room stays where it was. Please try again.",
    },
    "serve.unsaved.terminal": {
        "de": "Nicht gespeichert: {path} ({reason}). Es gilt der zuletzt gespeicherte Stand; wer gesendet hat, wird gebeten, es noch einmal zu tun.",
        "en": "Not saved: {path} ({reason}). The last saved state stands; whoever sent it is asked to send it again.",
    },
    "serve.unsaved.full": {"de": "der Datenträger ist voll", "en": "the disk is full"},
    "serve.unsaved.denied": {"de": "kein Schreibrecht", "en": "no permission to write"},
    "serve.unsaved.other": {"de": "Schreibfehler", "en": "write error"},
    # --- slp assess: one session per file (issue 9) ---
    "assess.no_language": {
        "de": "den Fragebogen {id} gibt es nicht in der Sprache {wanted}: verfügbar sind {languages}",
        "en": "questionnaire {id} has no language {wanted}: use one of {languages}",
    },
    "assess.bad_role": {
        "de": "--role {role}: erlaubt sind {sides} (auch: sonstige)",
        "en": "--role {role}: use one of {sides} (also accepted: sonstige)",
    },
    "assess.participants_alone": {
        "de": "--participants nennt alle Teilnehmenden: --respondent und --role weglassen",
        "en": "--participants names everyone: leave out --respondent and --role",
    },
    "assess.resume_alone": {
        "de": "--resume setzt eine gespeicherte Sitzung so fort, wie sie ist: {options} weglassen",
        "en": "--resume continues a saved session as it is: leave out {options}",
    },
    "assess.bad_participants": {"de": "--participants: {problem}", "en": "--participants: {problem}"},
    "assess.group_is_file": {
        "de": "{path} ist eine Datei: im Gruppenmodus bekommt jede Person eine eigene Datei in einem Ordner",
        "en": "{path} is a file: group mode writes one file per participant into a folder",
    },
    "assess.out_is_folder": {
        "de": "--out {path} ist ein Ordner: einen Dateinamen angeben oder mit --participants eine Gruppe befragen",
        "en": "--out {path} is a folder: give a file name, or use --participants for a group",
    },
    "assess.resume_missing": {
        "de": "{path}: diese Datei oder diesen Ordner gibt es nicht, nichts fortzusetzen",
        "en": "{path}: no such file or folder to resume",
    },
    "assess.resume_empty": {
        "de": "{path}: keine Antwortdateien (*.yaml) zum Fortsetzen",
        "en": "{path}: no answer files (*.yaml) to resume",
    },
    "serve.bad_mode": {"de": "--mode {mode}: erlaubt sind moderated oder self", "en": "--mode {mode}: use moderated or self"},
    "serve.resume_alone": {
        "de": "--resume setzt einen gespeicherten Workshop so fort, wie er ist: --out und --partnership weglassen",
        "en": "--resume continues a saved workshop as it is: leave out --out and --partnership",
    },
    "serve.out_needed": {
        "de": "--out ORDNER fehlt: der Ordner für die Antwortdateien aller Teilnehmenden",
        "en": "--out FOLDER is needed: the folder for everyone's answer files",
    },
    "serve.resume_missing": {
        "de": "{path}: diesen Workshop-Ordner gibt es nicht, nichts fortzusetzen",
        "en": "{path}: no such workshop folder to resume",
    },
    "serve.partnership_needed": {"de": "--partnership NAME fehlt", "en": "--partnership NAME is needed"},
    "serve.is_file": {
        "de": "{path} ist eine Datei: slp serve legt je Person eine Antwortdatei in einem Ordner an",
        "en": "{path} is a file: slp serve writes one answer file per participant into a folder",
    },
    "serve.cannot_listen": {
        "de": "{host}:{port} ist nicht verfügbar ({reason}): eine andere --port wählen",
        "en": "cannot listen on {host}:{port}: {reason} (try another --port)",
    },
    "assess.locked": {
        "de": "{path} ist gerade in einer anderen Sitzung von slp assess geöffnet: diese erst beenden (q), dann fortsetzen",
        "en": "{path} is open in another slp assess session: finish that session first (q), then continue",
    },
    # --- slp assess: a save that fails (fix-assess: nothing typed is lost; emergency copy) ---
    "assess.save_failed": {
        "de": "{path} konnte nicht gespeichert werden ({reason}). Alle Antworten bleiben erhalten; bei der nächsten Antwort wird erneut gespeichert.",
        "en": "Could not save {path} ({reason}). Every answer is kept; saving is tried again with the next answer.",
    },
    "assess.save_recovered": {"de": "Wieder gespeichert: alle Antworten stehen in {path}.", "en": "Saved again: every answer is in {path}."},
    "assess.rescued": {
        "de": "{path} konnte nicht gespeichert werden. Alle Antworten stehen in der Notkopie {copy}. Fortsetzen mit: {command}",
        "en": "Could not save {path}. Every answer is in the emergency copy {copy}. Resume with: {command}",
    },
    "assess.rescue_failed": {
        "de": "{path} konnte nicht gespeichert werden, und auch eine Notkopie ließ sich nirgends schreiben. Hier alle Antworten – bitte in eine Datei kopieren:",
        "en": "Could not save {path}, and no emergency copy could be written anywhere. Here is every answer – copy it into a file:",
    },
    # --- slp export: the survey a respondent fills in online ---
    "survey.about_you": {"de": "Angaben zu Ihrer Person", "en": "About you"},
    "survey.name": {"de": "Ihr Name (freiwillig)", "en": "Your name (optional)"},
    "survey.organisation": {"de": "Ihre Organisation, z. B. Stadtverwaltung oder Landratsamt (freiwillig)", "en": "Your organisation, e.g. city administration or district office (optional)"},
    "survey.side": {"de": "Für welche Seite der Partnerschaft antworten Sie?", "en": "Which side of the partnership do you answer for?"},
    "survey.date": {"de": "Datum", "en": "Date"},
    "survey.note": {"de": "Anmerkung zu dieser Frage (freiwillig)", "en": "Note on this question (optional)"},
    "survey.critical": {"de": "Kernanforderung der Partnerschaft", "en": "A key requirement of the partnership"},
    # --- slp import ---
    "import.wrote": {"de": "{count} Antwortdatei(en) geschrieben nach {folder}", "en": "wrote {count} answer file(s) to {folder}"},
    "import.unmapped": {
        "de": "Nicht übernommen (keiner Frage zugeordnet): {columns}. Mit --strict ist das ein Fehler; in einer Zuordnung (--map) als ignore eintragen.",
        "en": "Not imported (no question matches): {columns}. With --strict this is an error; write them as ignore in a map (--map).",
    },
    "import.metadata": {"de": "Metadaten des Umfragewerkzeugs übergangen: {columns}", "en": "Survey tool metadata skipped: {columns}"},
    "import.no_column": {"de": "Fragen ohne Spalte (bleiben unbeantwortet): {ids}", "en": "Questions without a column (left unanswered): {ids}"},
    "import.map_written": {
        "de": "Entwurf der Zuordnung geschrieben nach {path}; {open} Stelle(n) offen, mit UNMATCHED markiert.",
        "en": "Draft map written to {path}; {open} open point(s), marked UNMATCHED.",
    },
    # --- slp assess: every error in the session's language (branch fix-lang) ---
    # Texts with a hint keep it in the English form the other commands print: "… (hint: …)".
    "assess.unknown_questionnaire": {
        "de": "den Fragebogen {ref} gibt es nicht: einen Dateipfad angeben oder eine dieser Kennungen: {known}",
        "en": "unknown questionnaire {ref}: use a file path or one of {known}",
    },
    "assess.invalid_questionnaire": {
        "de": "{ref}: der Fragebogen ist fehlerhaft; Einzelheiten der Prüfung:",
        "en": "{ref}: the questionnaire is invalid:",
    },
    "assess.invalid_answers": {
        "de": "{path}: diese Antwortdatei ist fehlerhaft und lässt sich so nicht fortsetzen; Einzelheiten der Prüfung:",
        "en": "{path}: this answer file is invalid and cannot be resumed as it is:",
    },
    "assess.file_questionnaire_unknown": {
        "de": "den Fragebogen {id} dieser Datei gibt es nicht: die Fragebogendatei als Argument angeben",
        "en": "unknown questionnaire {id} (hint: name the questionnaire file as argument)",
    },
    "assess.other_questionnaire": {
        "de": "diese Datei beantwortet den Fragebogen {found}, nicht {wanted}: ohne Angabe eines Fragebogens fortsetzen oder mit --out eine neue Sitzung beginnen",
        "en": "this file answers questionnaire {found}, not {wanted} (hint: resume it without naming a questionnaire, or start a new session with --out)",
    },
    "assess.other_version": {
        "de": "diese Datei beantwortet Version {old} von {id}, der Fragebogen hat Version {new}: mit --migrate übernehmen, was zu noch vorhandenen Fragen gehört",
        "en": "this file answers version {old} of {id}, the questionnaire is version {new} (hint: add --migrate to keep the answers whose questions still exist)",
    },
    "assess.participant_missing": {
        "de": "die Antwortdatei dieser Person fehlt: aus einer Sicherung zurückholen oder ihren Eintrag aus slp-workshop.json entfernen",
        "en": "this participant's answer file is missing (hint: restore it from a backup, or remove its entry from slp-workshop.json)",
    },
    "manifest.unreadable": {
        "de": "die Workshop-Datei ist nicht lesbar ({reason}): zurückholen oder löschen, dann gilt die alphabetische Reihenfolge",
        "en": "unreadable workshop manifest: {reason} (hint: restore it or remove it to fall back to alphabetical order)",
    },
    "manifest.not_utf8": {"de": "kein UTF-8", "en": "not UTF-8"},
    "manifest.not_json": {"de": "kein gültiges JSON, Zeile {line}, Spalte {column}", "en": "not valid JSON at line {line}, column {column}"},
    "manifest.invalid": {
        "de": "{path}: die Workshop-Datei ist fehlerhaft; zurückholen oder löschen, dann gilt die alphabetische Reihenfolge. Einzelheiten:",
        "en": "{path}: the workshop manifest is invalid; restore it or remove it to fall back to alphabetical order:",
    },
    "manifest.listed_twice": {
        "de": "die Datei einer Person ist zweimal eingetragen: jede Person hat ihre eigene Datei",
        "en": "a participant's file is listed twice (hint: each participant has a file of their own)",
    },
    "assess.cannot_create_folder": {"de": "der Ordner {path} lässt sich nicht anlegen: {reason}", "en": "cannot create the folder {path}: {reason}"},
    "assess.cannot_create_lock": {
        "de": "die Sperrdatei {path} für {target} lässt sich nicht anlegen: {reason}",
        "en": "cannot create the lock file {path} for {target}: {reason}",
    },
    "assess.cannot_lock": {"de": "{path} für {target} lässt sich nicht sperren: {reason}", "en": "cannot lock {path} for {target}: {reason}"},
    "assess.cannot_write": {"de": "{path} lässt sich nicht schreiben: {reason}", "en": "cannot write {path}: {reason}"},
    "assess.cannot_use": {"de": "{path}: {reason}", "en": "{path}: {reason}"},
    "assess.failed": {"de": "slp assess wurde abgebrochen; Einzelheiten (auf Englisch):", "en": "slp assess stopped:"},
    "assess.stopped": {"de": "slp assess wurde abgebrochen; Einzelheiten:", "en": "slp assess stopped:"},
    "assess.report_not_written": {
        "de": "der Bericht {path} wurde nicht geschrieben; die Antworten sind gespeichert. Grund: {reason}",
        "en": "the report {path} was not written; the answers are saved. Reason: {reason}",
    },
    "assess.report_suffix": {
        "de": "--report {path}: unbekannte Endung {suffix}; möglich sind {suffixes}",
        "en": "--report {path}: unknown suffix {suffix}; use {suffixes}",
    },
    "assess.no_browser": {
        "de": "--report {path}: ein PDF druckt Chromium oder Google Chrome; bitte installieren (Debian/Ubuntu: apt install chromium; macOS: brew install --cask chromium) oder SLP_CHROMIUM auf das Programm setzen",
        "en": "--report {path}: PDF output needs Chromium or Google Chrome: install it (Debian/Ubuntu: apt install chromium; macOS: brew install --cask chromium) or set SLP_CHROMIUM to the browser's path",
    },
    "assess.report_written": {"de": "Bericht geschrieben: {path}", "en": "wrote {path}"},
    "assess.report_failed": {
        "de": "der Bericht {path} wurde nicht geschrieben; die Antworten sind gespeichert. Einzelheiten (auf Englisch):",
        "en": "the report {path} was not written; the answers are saved:",
    },
    "assess.report_interrupted": {
        "de": "Unterbrochen – der Bericht wurde nicht geschrieben; die Antworten sind gespeichert.",
        "en": "Interrupted – the report was not written; the answers are saved.",
    },
    "oserror.EACCES": {"de": "keine Berechtigung", "en": "Permission denied"},
    "oserror.EPERM": {"de": "nicht erlaubt", "en": "Operation not permitted"},
    "oserror.EROFS": {"de": "das Dateisystem ist schreibgeschützt", "en": "Read-only file system"},
    "oserror.ENOSPC": {"de": "kein Platz mehr auf dem Datenträger", "en": "No space left on device"},
    "oserror.EDQUOT": {"de": "das Speicherkontingent ist erschöpft", "en": "Disk quota exceeded"},
    "oserror.EEXIST": {"de": "dort gibt es schon eine Datei", "en": "File exists"},
    "oserror.ENOTDIR": {"de": "ein Teil des Pfads ist eine Datei, kein Ordner", "en": "Not a directory"},
    "oserror.EISDIR": {"de": "das ist ein Ordner", "en": "Is a directory"},
    "oserror.ENOENT": {"de": "nicht vorhanden", "en": "No such file or directory"},
    "oserror.ENAMETOOLONG": {"de": "der Name ist zu lang", "en": "File name too long"},
    "oserror.EIO": {"de": "Ein-/Ausgabefehler des Datenträgers", "en": "Input/output error"},
    "oserror.other": {"de": "Systemfehler {code}", "en": "system error {code}"},
    # Branch fix-scoreout: the status lines of score, validate, report, compare, export, schema, template.
    "cli.wrote": {"de": "{path} geschrieben", "en": "wrote {path}"},
    "cli.usage_error": {"de": "Fehler: {text} (Hinweis: siehe {command} --help)", "en": "error: {text} (hint: see {command} --help)"},
    "cli.wrote_portfolio": {
        "de": "{count} Bericht(e) und ein Index geschrieben nach {folder}",
        "en": "wrote {count} report(s) and an index to {folder}",
    },
    "cli.invalid_left_out": {"de": "{count} ungültige Datei(en) ausgelassen", "en": "{count} invalid file(s) left out"},
    # "ok" is German as well: the lines stay the same in both languages, for scripts that look for them.
    "validate.ok": {"de": "ok: {file}", "en": "ok: {file}"},
    "validate.invalid": {"de": "{failed} von {total} Datei(en) ungültig", "en": "{failed} of {total} file(s) invalid"},
    # Branch fix-apicli: `slp questionnaires` (list and show), the header of `slp score`'s table and its
    # --verbose line, in the chosen language. Markers name items as the reports do (Kernanforderung).
    "questionnaires.id": {"de": "ID", "en": "id"},
    "questionnaires.version": {"de": "Version", "en": "version"},
    "questionnaires.languages": {"de": "Sprachen", "en": "languages"},
    "questionnaires.items": {"de": "Fragen", "en": "items"},
    "questionnaires.factors": {"de": "Faktoren", "en": "factors"},
    "questionnaires.minutes": {"de": "Min.", "en": "minutes"},
    "questionnaires.source": {"de": "Herkunft", "en": "source"},
    "questionnaires.bundled": {"de": "mitgeliefert", "en": "bundled"},
    "questionnaires.critical": {"de": "Kernanforderung", "en": "key requirement"},
    "questionnaires.reverse": {"de": "umgepolt", "en": "reverse"},
    "questionnaires.required": {"de": "Pflichtfrage", "en": "required"},
    "questionnaires.context": {"de": "Angaben zur Partnerschaft (nicht bewertet)", "en": "About the partnership (not scored)"},
    # A column header: short, so that the names beside it keep their width (the table fits the terminal).
    "score.not_met": {"de": "Kernanf. nicht erfüllt", "en": "Key req. not met"},
    "cli.similar_partnerships": {
        "de": "fast gleich benannt und darum getrennt ausgewertet: {names}. Ist es eine Partnerschaft, schreiben Sie "
              "ihren Namen in allen Dateien gleich.",
        "en": "named nearly alike and so evaluated apart: {names}. If they are one partnership, write its name the same "
              "way in every file.",
    },
    "cli.repeated": {
        "de": "{partnership} ({questionnaire}): mehrfach geantwortet (gleicher Name, gleiche Seite): {n}; jede Antwort zählt "
              "mit. Stammen die Antworten aus verschiedenen Befragungsrunden, werten Sie jede Runde für sich aus.",
        "en": "{partnership} ({questionnaire}): answered more than once (same name, same side): {n}; every answer counts. "
              "If the answers come from different rounds, evaluate each round on its own.",
    },
    "score.repeated_short": {"de": "{n} mehrfach geantwortet", "en": "{n} answered more than once"},
    "score.verbose": {
        "de": "{files} Datei(en) werden mit {processes} Prozess(en) bewertet, Format {format}",
        "en": "scoring {files} file(s) with {processes} process(es), format {format}",
    },
}


def error_language(wanted: str | None) -> str:
    """The language of errors before a session's language is settled: the one asked for, else German,
    the language a session starts in by default."""
    return wanted if wanted in LANGUAGES else "de"


def message(key: str, lang: str, **values: object) -> str:
    """A tool text in the language asked for, falling back to English."""
    texts = MESSAGES[key]
    text = texts.get(lang) or texts["en"]
    return text.format(**values)


def side_label(side: str, lang: str) -> str:
    """A side as a word in the reader's language ("Landkreis", "municipality")."""
    key = f"role.{side}"
    return message(key, lang) if key in MESSAGES else side


def pick(text: Mapping[str, str] | None, lang: str, fallback: str = "en") -> str:
    """A questionnaire text in ``lang``; falls back when a user's questionnaire lacks it."""
    if not text:
        return ""
    return text.get(lang) or text.get(fallback) or next(iter(text.values()))


def check_language(lang: str) -> str:
    """Refuse a language the tool's own texts do not exist in."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {quoted(lang)}: use one of {', '.join(LANGUAGES)}")
    return lang
