"""The checker's problems of a file a German session cannot read, worded in German.

The checks word each problem once, in English, where they find it (``yamlsyntax``, ``yamlio``,
``yamlcheck``, pydantic through ``loading``, ``validation``): every other command prints them so.
A German ``slp assess`` prints no English line, so a hand-edited answer file it cannot resume, or a
workshop manifest it cannot read, is described here in German, message by message and hint by hint:
each English form is matched whole, and the values it names (keys, answers, line numbers) are carried
over as they were quoted. A message no form matches still names its file, line and key, with a German
sentence pointing to ``slp validate``; ``tests/test_assess_german_checks.py`` breaks answer files in
every way the checks know and requires a German wording for each.
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Callable
from dataclasses import replace

from slp_assess.errors import Problem
from slp_assess.i18n import MESSAGES
from slp_assess.oneline import quoted

Wording = str | Callable[[re.Match[str]], str]

_KINDS = {"a single value": "einem einzelnen Wert", "a mapping": "einer Zuordnung", "a list": "einer Liste"}
_OPENED = {"list": "die Liste", "mapping": "die Zuordnung"}
_BOUNDS = {"less than or equal to": "höchstens", "greater than or equal to": "mindestens", "greater than": "größer als",
           "less than": "kleiner als"}
_STRERRORS = {texts["en"]: texts["de"] for key, texts in MESSAGES.items() if key.startswith("oserror.") and "{" not in texts["en"]}


def _listing(text: str) -> str:
    """A list as ``oneline.listed`` writes it, its English joints in German."""
    text = re.sub(r" and (\d+) more$", r" und \1 weitere", text)
    return re.sub(r"(?<=') or (?=')", " oder ", text)


def _nested(match: re.Match[str]) -> str:
    return f"{match['where']}: {german_message(match['rest']) or _UNKNOWN}"


# Each English message of the checks, matched whole, and its German wording (a template of the
# pattern's named groups, or a function of the match). The first pattern that matches wins.
_MESSAGES: list[tuple[str, Wording]] = [
    # a location before a message of its own (the workshop manifest: "participants.0.file: …")
    (r"(?P<where>[\w.\-]+): (?P<rest>.+)", _nested),
    # yamlsyntax and yamlio: the YAML itself
    (r"YAML error: line (?P<l>\d+) holds U\+(?P<u>[0-9A-F]+), which YAML reads as a line break",
     "YAML-Fehler: Zeile {l} enthält das Zeichen U+{u}, das YAML als Zeilenumbruch liest"),
    (r"YAML error: a tab is used for indentation at line (?P<l>\d+), column (?P<c>\d+)",
     "YAML-Fehler: in Zeile {l}, Spalte {c} ist mit einem Tabulator eingerückt"),
    (r"YAML error: a tab where YAML expects a space at line (?P<l>\d+), column (?P<c>\d+)",
     "YAML-Fehler: ein Tabulator in Zeile {l}, Spalte {c}, wo YAML ein Leerzeichen erwartet"),
    (r"YAML error: no space after the colon at line (?P<l>\d+)", "YAML-Fehler: in Zeile {l} fehlt das Leerzeichen nach dem Doppelpunkt"),
    (r"YAML error: a second ': ' in one line at line (?P<l>\d+), column (?P<c>\d+)",
     "YAML-Fehler: ein zweites ': ' in derselben Zeile (Zeile {l}, Spalte {c})"),
    (r"YAML error: the text at line (?P<l>\d+) is neither `key: value` nor a list entry",
     "YAML-Fehler: der Text in Zeile {l} ist weder `schlüssel: wert` noch ein Listeneintrag"),
    (r"YAML error: the quote (?P<q>.) opened at line (?P<l>\d+) is never closed",
     "YAML-Fehler: das Anführungszeichen {q} aus Zeile {l} wird nie geschlossen"),
    (r"YAML error: the quote (?P<q>.) opened at line (?P<l>\d+) is not closed on that line",
     "YAML-Fehler: das Anführungszeichen {q} aus Zeile {l} wird in dieser Zeile nicht geschlossen"),
    (r"YAML error: the (?P<kind>list|mapping) opened with '(?P<o>.)' at line (?P<l>\d+) is not closed",
     lambda m: f"YAML-Fehler: {_OPENED[m['kind']]}, die in Zeile {m['l']} mit '{m['o']}' beginnt, wird nicht geschlossen"),
    (r"YAML error: a value cannot start with (?P<ch>.+) \(line (?P<l>\d+), column (?P<c>\d+)\)",
     "YAML-Fehler: ein Wert kann nicht mit {ch} beginnen (Zeile {l}, Spalte {c})"),
    (r"YAML error: unknown escape (?P<e>.+) in a double-quoted value at line (?P<l>\d+)",
     "YAML-Fehler: unbekannte Escape-Folge {e} in einem Wert in doppelten Anführungszeichen (Zeile {l})"),
    (r"YAML error: a list entry \('- '\) at line (?P<l>\d+) where a key was expected",
     "YAML-Fehler: ein Listeneintrag ('- ') in Zeile {l}, wo ein Schlüssel stehen müsste"),
    (r"YAML error: text after the closing quote at line (?P<l>\d+), column (?P<c>\d+)",
     "YAML-Fehler: Text nach dem schließenden Anführungszeichen (Zeile {l}, Spalte {c})"),
    (r"YAML error: the indentation of line (?P<l>\d+) does not fit the lines above",
     "YAML-Fehler: die Einrückung von Zeile {l} passt nicht zu den Zeilen darüber"),
    (r"YAML error: found duplicate key (?P<k>.+) \(first at line (?P<l>\d+)\)",
     "YAML-Fehler: der Schlüssel {k} steht zweimal in der Datei (zuerst in Zeile {l})"),
    (r"YAML error: control character U\+(?P<u>[0-9A-F]+) is not allowed", "YAML-Fehler: das Steuerzeichen U+{u} ist nicht erlaubt"),
    (r"YAML error: character U\+(?P<u>[0-9A-F]+) is not allowed \(a lone surrogate\)",
     "YAML-Fehler: das Zeichen U+{u} ist nicht erlaubt (ein unvollständiges Zeichen)"),
    (r"YAML error: character \(.*\) U\+(?P<u>[0-9A-F]+) is not allowed", "YAML-Fehler: das Zeichen U+{u} ist nicht erlaubt"),
    (r"YAML error: but found another document", "YAML-Fehler: die Datei enthält mehr als ein YAML-Dokument"),
    (r"YAML error: block sequence entries are not allowed in this context",
     "YAML-Fehler: ein Listeneintrag ('- ') ist an dieser Stelle nicht erlaubt"),
    (r"YAML error: did not find expected '-' indicator", "YAML-Fehler: hier wird ein Listeneintrag ('- ') erwartet"),
    (r"YAML error: found undefined tag handle.*", "YAML-Fehler: eine unbekannte Kennzeichnung (!…)"),
    (r"YAML error: .*", "YAML-Fehler: an dieser Stelle ist die Datei kein gültiges YAML"),
    (r"file is not UTF-8 text \(byte (?P<b>0x[0-9A-F]+) cannot be decoded\)",
     "die Datei ist kein UTF-8-Text (das Byte {b} lässt sich nicht lesen)"),
    (r"cannot read file: (?P<why>.+)", lambda m: f"die Datei lässt sich nicht lesen: {_STRERRORS.get(m['why'], m['why'])}"),
    (r"cannot read (?P<what>.+): answer and questionnaire files must be regular files",
     "die Datei lässt sich nicht lesen: Antwort- und Fragebogendateien müssen gewöhnliche Dateien sein"),
    # yamlcheck: what YAML allows and the files do not
    (r"merge keys \(<<\) are not supported", "Zusammenführungen (<<) sind nicht möglich"),
    (r"'=' is not supported as a value", "'=' ist als Wert nicht möglich"),
    (r"tag (?P<t>\S+) does not fit (?P<kind>a single value|a mapping|a list)",
     lambda m: f"die Kennzeichnung {m['t']} passt nicht zu {_KINDS[m['kind']]}"),
    (r"unsupported tag (?P<t>\S+)", "die Kennzeichnung {t} ist nicht möglich"),
    (r"(?P<v>(?:'.*'|\".*\")) is not a valid !!timestamp", "{v} ist kein gültiges Datum"),
    (r"(?P<v>(?:'.*'|\".*\")) is not a valid (?P<t>!!\S+)", "{v} ist kein gültiger Wert für {t}"),
    (r"template placeholder (?P<p>\{\{ .* \}\}) left in the file", "der Platzhalter {p} steht noch in der Datei"),
    (r"a list used as a key", "eine Liste als Schlüssel"),
    (r"a mapping used as a key", "eine Zuordnung als Schlüssel"),
    (r"the value from line (?P<l>\d+) is repeated by an alias \(\*name\); aliases are not allowed",
     "der Wert aus Zeile {l} wird mit einem Alias (*name) wiederholt; Aliase sind nicht erlaubt"),
    (r"values nested more than (?P<n>\d+) levels deep", "Werte sind tiefer als {n} Ebenen verschachtelt"),
    # loading: what the file is
    (r"not an answer file: expected a YAML mapping at the top", "keine Antwortdatei: oben wird eine Zuordnung (schlüssel: wert) erwartet"),
    (r"this is a questionnaire, not an answer file", "das ist ein Fragebogen, keine Antwortdatei"),
    (r"unknown questionnaire (?P<q>.+)", "den Fragebogen {q} gibt es nicht"),
    (r"unknown key (?P<k>.+)", "unbekannter Schlüssel {k}"),
    (r"unknown key", "unbekannter Schlüssel"),
    # pydantic: the form of each field
    (r"Field required", "hier fehlt ein Pflichtfeld"),
    (r"Input should be a valid string", "hier gehört ein Text hin"),
    (r"Keys should be strings", "hier sind nur Schlüssel aus Text möglich"),
    (r"Input should be a valid dictionary.*", "hier gehört eine Zuordnung (schlüssel: wert) hin"),
    (r"Input should be a valid list.*", "hier gehört eine Liste hin"),
    (r"Input should be a valid (?:number|integer).*", "hier gehört eine Zahl hin"),
    (r"Input should be a finite number", "hier gehört eine gewöhnliche Zahl hin"),
    (r"Input should be a valid boolean.*", "hier gehört true oder false hin"),
    (r"Input should be a valid date.*|Datetimes provided to dates should have zero time.*", "das ist kein gültiges Datum"),
    (r"Input should be (?P<bound>less than or equal to|greater than or equal to|greater than|less than) (?P<n>\S+)",
     lambda m: f"der Wert muss {_BOUNDS[m['bound']]} {m['n']} sein"),
    (r"Input should be (?P<allowed>(?:'.*'|\".*\"))", lambda m: f"möglich ist nur {_listing(m['allowed'])}"),
    (r"String should match pattern (?P<p>.+)", "der Text passt nicht zum Muster {p}"),
    (r"String should have at least (?P<n>\d+) characters?", "der Text braucht mindestens {n} Zeichen"),
    (r"String should have at most (?P<n>\d+) characters?", "der Text darf höchstens {n} Zeichen lang sein"),
    (r"\w+ should have at most (?P<n>\d+) items? after validation, not \d+", "hier sind höchstens {n} Einträge möglich"),
    (r"\w+ should have at least (?P<n>\d+) items? after validation, not \d+",
     lambda m: "die Liste braucht mindestens einen Eintrag" if m["n"] == "1" else f"die Liste braucht mindestens {m['n']} Einträge"),
    (r"(?P<v>\S+) has more than (?P<n>\d+) decimal places", "{v} hat mehr als {n} Nachkommastellen"),
    (r"Value error, (?P<rest>.+)", lambda m: german_message(m["rest"]) or _UNKNOWN),
    (r"unknown side (?P<s>.+)", "unbekannte Seite {s}"),
    (r"questionnaire (?P<q>.+) names version (?P<at>.+), the file says (?P<v>.+)",
     "der Fragebogen {q} nennt Version {at}, die Datei Version {v}"),
    (r"(?P<v>(?:'.*'|\".*\")) is not an answer file name of this folder \(like anna-weber\.yaml\)",
     "{v} ist kein Name einer Antwortdatei dieses Ordners (etwa anna-weber.yaml)"),
    # validation: the answers against their questionnaire
    (r"unknown item id (?P<i>.+) for questionnaire (?P<q>(?:'[^']*'|\"[^\"]*\"))", "die Frage {i} gibt es im Fragebogen {q} nicht"),
    (r"item (?P<i>.+) is required and cannot be answered n/a", "die Frage {i} muss beantwortet werden; n/a ist hier nicht möglich"),
    (r"(?P<v>(?:'.*'|\".*\")) is not an option of scale (?P<s>(?:'[^']*'|\"[^\"]*\"))", "{v} ist keine Antwort der Skala {s}"),
    (r"unknown context question (?P<i>.+)", "die Kontextfrage {i} gibt es nicht"),
    (r"this question takes a single choice", "diese Frage lässt nur eine Auswahl zu"),
    (r"unknown option\(s\) (?P<o>.+)", lambda m: f"unbekannte Antwort(en) {_listing(m['o'])}"),
    (r"questionnaire (?P<q>.+) is version (?P<now>.+), the file says (?P<v>.+), a version it does not know \(known: (?P<known>.+)\)",
     "der Fragebogen {q} hat Version {now}, die Datei nennt {v}, eine unbekannte Version (bekannt: {known})"),
    (r"questionnaire (?P<q>.+) is version (?P<now>.+), the file says (?P<v>.+)", "der Fragebogen {q} hat Version {now}, die Datei nennt {v}"),
    # validation: a questionnaire's own structure
    (r"duplicate id (?P<i>(?:'.*'|\".*\")) \(first used at line (?P<l>\d+)\)", "die Kennung {i} kommt doppelt vor (zuerst in Zeile {l})"),
    (r"default language (?P<l>(?:'.*'|\".*\")) is not in languages", "die Standardsprache {l} steht nicht unter languages"),
    (r"missing translation: (?P<langs>.+)", "hier fehlt die Übersetzung: {langs}"),
    (r"empty text for (?P<langs>.+)", "leerer Text für {langs}"),
    (r"option key 'n/a' is reserved for 'cannot judge'", "der Antwortschlüssel 'n/a' steht für „kann ich nicht beurteilen“"),
    (r"duplicate option key (?P<k>(?:'.*'|\".*\"))", "der Antwortschlüssel {k} kommt doppelt vor"),
    (r"duplicate option keys", "Antwortschlüssel kommen doppelt vor"),
    (r"all options have the same points, so the scale cannot discriminate",
     "alle Antworten haben dieselben Punkte, die Skala unterscheidet also nichts"),
    (r"duplicate level id (?P<i>(?:'.*'|\".*\"))", "die Stufe {i} kommt doppelt vor"),
    (r"threshold (?P<t>\S+) is not below the previous level's (?P<p>\S+)", "die Schwelle {t} liegt nicht unter der vorigen Stufe ({p})"),
    (r"the lowest level must have threshold 0", "die unterste Stufe braucht die Schwelle 0"),
    (r"questionnaire has no sections", "der Fragebogen hat keine Abschnitte"),
    (r"section (?P<i>(?:'.*'|\".*\")) has no factors", "der Abschnitt {i} hat keine Faktoren"),
    (r"factor (?P<i>(?:'.*'|\".*\")) has no items", "der Faktor {i} hat keine Fragen"),
    (r"recommendations for unknown level (?P<l>(?:'.*'|\".*\"))", "Empfehlungen für die unbekannte Stufe {l}"),
    (r"recommendations for the top level (?P<l>(?:'.*'|\".*\")) are never shown", "Empfehlungen für die oberste Stufe {l} werden nie gezeigt"),
    (r"unknown scale (?P<s>(?:'.*'|\".*\"))", "die Skala {s} gibt es nicht"),
    (r"(?P<t>choice|multiple_choice) question (?P<q>(?:'.*'|\".*\")) has no options", "die Frage {q} (type: {t}) hat keine Antworten"),
    (r"a text question cannot have options", "eine Textfrage hat keine Antworten"),
    (r"phases\.question (?P<q>(?:'.*'|\".*\")) is not a choice context question", "phases.question {q} ist keine Kontextfrage mit type: choice"),
    (r"phase\(s\) (?P<p>.+) are not options of (?P<q>(?:'.*'|\".*\"))", "die Phase(n) {p} sind keine Antworten von {q}"),
    (r"a phase is listed twice", "eine Phase steht zweimal in der Liste"),
    (r"unknown phase (?P<p>(?:'.*'|\".*\"))", "die Phase {p} gibt es nicht"),
    (r"a migration from version (?P<v>\S+) to itself", "eine Überleitung von Version {v} auf sich selbst"),
    (r"`note_to` goes with `drop`: a moved item takes its note along",
     "`note_to` gehört zu `drop`: eine verschobene Frage nimmt ihre Anmerkung mit"),
    (r"item (?P<i>(?:'.*'|\".*\")) does not exist in version (?P<v>\S+)", "die Frage {i} gibt es in Version {v} nicht"),
    (r"a dropped item cannot also move", "eine entfernte Frage kann nicht zugleich verschoben werden"),
    (r"(?P<vals>.+) not in the scale of (?P<i>(?:'.*'|\".*\"))", lambda m: f"{_listing(m['vals'])} nicht in der Skala von {m['i']}"),
    (r"context answers have no notes", "Antworten auf Kontextfragen haben keine Anmerkungen"),
    (r"context question (?P<q>(?:'.*'|\".*\")) does not exist in version (?P<v>\S+)", "die Kontextfrage {q} gibt es in Version {v} nicht"),
]

_HINTS: list[tuple[str, Wording]] = [
    (r"delete the character; inside a quoted value it is kept", "das Zeichen löschen; in Anführungszeichen bleibt es erhalten"),
    (r"indent with spaces: YAML does not allow tabs for indentation", "mit Leerzeichen einrücken: YAML erlaubt keine Tabulatoren zum Einrücken"),
    (r"replace the tab with a space", "den Tabulator durch ein Leerzeichen ersetzen"),
    (r"write a space after the colon of a key: `key: value`", "nach dem Doppelpunkt eines Schlüssels ein Leerzeichen schreiben: `schlüssel: wert`"),
    (r"write a space after the colon: `key: value`", "nach dem Doppelpunkt ein Leerzeichen schreiben: `schlüssel: wert`"),
    (r"quote a value that contains ': ' \(\"\.\.\.\"\), or put a key on a line of its own",
     "einen Wert mit ': ' in Anführungszeichen setzen (\"...\") oder jeden Schlüssel in eine eigene Zeile schreiben"),
    (r"write `key: value`, or quote a value that goes on over several lines",
     "`schlüssel: wert` schreiben oder einen Wert, der über mehrere Zeilen geht, in Anführungszeichen setzen"),
    (r"end the value with (?P<q>.) on the line where it starts", "den Wert in der Zeile, in der er beginnt, mit {q} beenden"),
    (r"close it with '(?P<c>.)' and separate its entries with ', '", "mit '{c}' schließen und die Einträge mit ', ' trennen"),
    (r"quote the value \(\"\.\.\.\"\)", "den Wert in Anführungszeichen setzen (\"...\")"),
    (r"write \\\\ for a backslash, or quote the value with ' instead of \"",
     "für einen Backslash \\\\ schreiben oder den Wert mit ' statt \" einfassen"),
    (r"indent the list under its key, or write `key: value`", "die Liste unter ihren Schlüssel einrücken oder `schlüssel: wert` schreiben"),
    (r"put the whole value inside the quotes", "den ganzen Wert in die Anführungszeichen setzen"),
    (r"indent the keys of one mapping by the same number of spaces", "die Schlüssel einer Zuordnung gleich weit einrücken"),
    (r"keep one entry per key", "je Schlüssel nur einen Eintrag stehen lassen"),
    (r"delete the character or retype the text around it", "das Zeichen löschen oder den Text darum herum neu tippen"),
    (r"delete the character", "das Zeichen löschen"),
    (r"fix the YAML syntax", "die YAML-Schreibweise berichtigen (zum Vergleich: `slp template`)"),
    (r"save it as UTF-8", "als UTF-8 speichern"),
    (r"pass regular files only", "nur gewöhnliche Dateien angeben"),
    (r"write the keys out", "die Schlüssel ausschreiben"),
    (r"quote it", "in Anführungszeichen setzen"),
    (r"remove the tag", "die Kennzeichnung entfernen"),
    (r"correct the value or remove the tag", "den Wert berichtigen oder die Kennzeichnung entfernen"),
    (r"replace it with an answer, or quote it", "durch eine Antwort ersetzen oder in Anführungszeichen setzen"),
    (r"keys must be single values", "Schlüssel sind einzelne Werte"),
    (r"write the value out where it is needed", "den Wert dort ausschreiben, wo er gebraucht wird"),
    (r"flatten the structure", "weniger tief verschachteln"),
    (r"pass questionnaires with --questionnaire", "einen Fragebogen mit --questionnaire angeben"),
    (r"use one of (?P<ids>.+) or pass the file with --questionnaire",
     lambda m: f"einen dieser Fragebögen verwenden: {_listing(m['ids'])}, oder die Datei mit --questionnaire angeben"),
    (r"remove it or check the spelling of the key", "entfernen oder die Schreibweise des Schlüssels prüfen"),
    (r"add this field", "dieses Feld ergänzen"),
    (r"write it as text \(quote it\)", "als Text schreiben (in Anführungszeichen)"),
    (r"use lowercase letters, digits, '_' or '-', dotted", "Kleinbuchstaben, Ziffern, '_' oder '-' verwenden, durch Punkte gegliedert"),
    (r"write a number", "eine Zahl schreiben"),
    (r"write a mapping \(key: value\)", "eine Zuordnung schreiben (schlüssel: wert)"),
    (r"write a list", "eine Liste schreiben"),
    (r"write a date as YYYY-MM-DD", "ein Datum als JJJJ-MM-TT schreiben"),
    (r"use one of the allowed values", "einen der möglichen Werte verwenden"),
    (r"add at least the minimum number of entries", "mindestens so viele Einträge ergänzen"),
    (r"write an ordinary number: \.inf and \.nan are not allowed", "eine gewöhnliche Zahl schreiben: .inf und .nan sind nicht möglich"),
    (r"use a number of at most (?P<n>\S+)", "eine Zahl von höchstens {n} verwenden"),
    (r"use a number of at least (?P<n>\S+)", "eine Zahl von mindestens {n} verwenden"),
    (r"use a number above (?P<n>\S+)", "eine Zahl über {n} verwenden"),
    (r"(?:did you mean (?P<guess>(?:'.*?'|\".*?\"))\? )?use one of: (?P<sides>.+) \(also accepted: (?P<also>.+)\)",
     lambda m: f"{_guess(m)}möglich sind: {m['sides']} (auch: {m['also']})"),
    (r"write questionnaire: (?P<q>\S+) and set version: to the version the answers were given to",
     "questionnaire: {q} schreiben und bei version: die Version angeben, auf die sich die Antworten beziehen"),
    (r"restore the file or remove it to fall back to alphabetical order",
     "die Datei zurückholen oder löschen, dann gilt die alphabetische Reihenfolge"),
    (r"did you mean (?P<guess>(?:'.*'|\".*\"))\?", "meinten Sie {guess}?"),
    (r"check the spelling against `slp template`", "die Schreibweise mit `slp template` vergleichen"),
    (r"choose an option of its scale", "eine Antwort ihrer Skala wählen"),
    (r"(?P<label>(?:'.*'|\".*\")) is the label of option (?P<key>(?:'.*?'|\".*?\")): write (?P<write>.+?); use one of: (?P<keys>.+)",
     "{label} ist die Beschriftung der Antwort {key}: {write} schreiben; möglich sind: {keys}"),
    (r"(?:did you mean (?P<guess>(?:'.*?'|\".*?\"))\? )?use one of: (?P<keys>.+)",
     lambda m: f"{_guess(m)}möglich sind: {'keine festgelegt' if m['keys'] == 'none defined' else _listing(m['keys'])}"),
    (r"give one option key", "einen Antwortschlüssel angeben"),
    (r"round it to at most (?P<n>\d+) decimal places; scores are shown to one",
     "auf höchstens {n} Nachkommastellen runden; Ergebnisse werden mit einer gezeigt"),
    (r"give every id a unique name", "jeder Kennung einen eigenen Namen geben"),
    (r"add it to `languages`", "sie unter `languages` ergänzen"),
    (r"add the text in every language of `languages`", "den Text in jeder Sprache von `languages` ergänzen"),
    (r"write the text or remove the language", "den Text schreiben oder die Sprache entfernen"),
    (r"choose another key", "einen anderen Schlüssel wählen"),
    (r"give every option a unique key", "jeder Antwort einen eigenen Schlüssel geben"),
    (r"give options different points", "den Antworten verschiedene Punkte geben"),
    (r"give every level a unique id", "jeder Stufe eine eigene Kennung geben"),
    (r"list levels from the highest threshold down", "die Stufen von der höchsten Schwelle abwärts aufführen"),
    (r"set the last level's threshold to 0", "die Schwelle der letzten Stufe auf 0 setzen"),
    (r"add at least one section with factors and items", "mindestens einen Abschnitt mit Faktoren und Fragen anlegen"),
    (r"add a factor or remove the section", "einen Faktor ergänzen oder den Abschnitt entfernen"),
    (r"add an item or remove the factor", "eine Frage ergänzen oder den Faktor entfernen"),
    (r"remove them", "sie entfernen"),
    (r"add options or make it type: text", "Antworten ergänzen oder type: text setzen"),
    (r"remove them or use type: choice", "sie entfernen oder type: choice setzen"),
    (r"name a context question of type: choice", "eine Kontextfrage mit type: choice angeben"),
    (r"add them as options of the phase question", "sie als Antworten der Phasenfrage ergänzen"),
    (r"list every phase once", "jede Phase einmal aufführen"),
    (r"declare `phases` first", "zuerst `phases` festlegen"),
    (r"name an earlier version", "eine frühere Version angeben"),
    (r"remove `note_to` or drop the item", "`note_to` entfernen oder die Frage mit `drop` entfernen"),
    (r"name an item of this version", "eine Frage dieser Version angeben"),
    (r"name an item of this version or drop it", "eine Frage dieser Version angeben oder sie mit `drop` entfernen"),
    (r"keep either `drop` or `to`/`values`", "entweder `drop` oder `to`/`values` behalten"),
    (r"remove `note_to`", "`note_to` entfernen"),
    (r"name a context question of this version or drop it", "eine Kontextfrage dieser Version angeben oder sie mit `drop` entfernen"),
    (r"(?:(?:did you mean (?P<guess>(?:'.*?'|\".*?\"))\?|(?P<label>(?:'.*?'|\".*?\")) is the label of option (?P<key>(?:'.*?'|\".*?\")): write (?P<write>.+?)); )?"
     r"use: (?P<keys>.+)", lambda m: f"{_label_or_guess(m)}möglich sind: {_listing(m['keys'])}"),
    (r"set version: \"(?P<v>[^\"]*)\" or run `slp migrate` to carry the file over to version (?P<to>.+)",
     "version: \"{v}\" setzen oder die Datei mit `slp migrate` auf Version {to} bringen"),
    (r"set version: \"(?P<v>[^\"]*)\" or use the matching questionnaire", "version: \"{v}\" setzen oder den passenden Fragebogen verwenden"),
    (r"set version: to the version the answers were given to \(e\.g\. \"(?P<v>[^\"]*)\"\), or pass that version of the "
     r"questionnaire with --questionnaire",
     "bei version: die Version angeben, auf die sich die Antworten beziehen (etwa \"{v}\"), oder diese Version des "
     "Fragebogens mit --questionnaire angeben"),
]

# One-line errors of code the session shares with the other commands (a report printed at its end,
# the date of a reproducible run): worded here so that the session can say them in German too.
_INSTALL = ("PDF output needs Chromium or Google Chrome: install it (Debian/Ubuntu: apt install chromium; "
            "macOS: brew install --cask chromium) or set SLP_CHROMIUM to the browser's path")
_INSTALL_GERMAN = ("ein PDF druckt Chromium oder Google Chrome; bitte installieren (Debian/Ubuntu: apt install chromium; "
                   "macOS: brew install --cask chromium) oder SLP_CHROMIUM auf das Programm setzen")
_ERRORS: list[tuple[str, Wording]] = [
    (r"SOURCE_DATE_EPOCH=(?P<v>.+) is not a number of seconds", "SOURCE_DATE_EPOCH={v} ist keine Zahl (Sekunden seit 1970)"),
    (r"(?P<b>.+?) could not print the PDF: exit code (?P<n>-?\d+)", "{b} konnte das PDF nicht drucken (Rückgabewert {n})"),
    (r"(?P<b>.+?) could not print the PDF: (?P<said>.+)", lambda m: f"{m['b']} konnte das PDF nicht drucken; das Programm meldet: {quoted(m['said'])}"),
    (r"(?P<b>.+?) did not finish printing the PDF within (?P<t>[\d.]+) s", "{b} hat das PDF nicht innerhalb von {t} s gedruckt"),
    (r"cannot run (?P<b>.+?): (?P<why>[^;]+); " + re.escape(_INSTALL),
     lambda m: f"{m['b']} lässt sich nicht starten: {_STRERRORS.get(m['why'], quoted(m['why']))}; {_INSTALL_GERMAN}"),
    (r"SLP_CHROMIUM=(?P<v>.+) is not an executable program; " + re.escape(_INSTALL),
     "SLP_CHROMIUM={v} ist kein ausführbares Programm; " + _INSTALL_GERMAN.replace("{", "{{").replace("}", "}}")),
    (re.escape(_INSTALL), _INSTALL_GERMAN),
]

_UNKNOWN = "die Prüfung findet hier einen Fehler"


_TABLES = {"messages": _MESSAGES, "hints": _HINTS, "errors": _ERRORS}


@functools.cache
def _compiled(table: str) -> list[tuple[re.Pattern[str], Wording]]:
    # Compiled when a session first meets a problem, not when a command starts: 9 ms for every pattern.
    return [(re.compile(pattern, re.DOTALL), wording) for pattern, wording in _TABLES[table]]


def _guess(match: re.Match[str]) -> str:
    return f"meinten Sie {match['guess']}? " if match["guess"] else ""


def _label_or_guess(match: re.Match[str]) -> str:
    if match["label"]:
        return f"{match['label']} ist die Beschriftung der Antwort {match['key']}: {match['write']} schreiben; "
    return f"meinten Sie {match['guess']}?; " if match["guess"] else ""


def _worded(text: str, table: str) -> str | None:
    for pattern, wording in _compiled(table):
        match = pattern.fullmatch(text)
        if match is not None:
            return wording(match) if callable(wording) else wording.format(**match.groupdict())
    return None


def german_message(text: str) -> str | None:
    """The German wording of one of the checks' messages; None for one this module does not know."""
    return _worded(text, "messages")


def german_hint(text: str) -> str | None:
    """The German wording of one of the checks' hints ("" stays ""); None for one this module does not know."""
    return "" if not text else _worded(text, "hints")


def german_error(text: str) -> str | None:
    """The German wording of a one-line error of the code the session shares; None for one not known here."""
    return _worded(text, "errors")


def in_german(problem: Problem, questionnaire_file: str | None = None) -> Problem:
    """``problem`` worded in German: file, line and key as they are; a message or hint not known here
    becomes a German sentence that names ``slp validate``, which prints the check's own words.

    ``questionnaire_file``: the questionnaire file the session runs (not a bundled one), which
    ``slp validate`` must be given (``-q``) to check an answer file of it.
    """
    message = german_message(problem.message)
    hint = german_hint(problem.hint)
    if message is None or hint is None:
        # `slp validate` reads answer and questionnaire files, not the workshop manifest (JSON).
        details = "" if problem.file.endswith(".json") else f"Einzelheiten: slp validate {shlex.quote(problem.file)}"
        if details and questionnaire_file is not None:
            details += f" -q {shlex.quote(questionnaire_file)}"
        message, hint = message or _UNKNOWN, details
    return replace(problem, message=message, hint=hint)
