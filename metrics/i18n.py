"""Every user-facing string, in French and English, declared once.

``t(key, lang, **params)`` formats one. A test checks that every key has both languages and
that every key is used somewhere in the code.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("fr", "en")

STRINGS: dict[str, dict[str, str]] = {
    # Problems found in a file.
    "err.empty_file": {
        "fr": "Le fichier « {file} » est vide : choisissez un fichier qui contient des données.",
        "en": "The file \u201c{file}\u201d is empty: choose a file that contains data.",
    },
    "err.empty_file_problem": {
        "fr": "Le fichier est vide : ajoutez une ligne d'en-tête et des données.",
        "en": "The file is empty: add a header row and data.",
    },
    "err.not_spreadsheet": {
        "fr": "« {file} » ne se lit pas comme un tableur (CSV, XLSX ou ODS) : enregistrez-le "
              "dans l'un de ces formats.",
        "en": "\u201c{file}\u201d cannot be read as a spreadsheet (CSV, XLSX or ODS): save it "
              "in one of these formats.",
    },
    "err.no_recognised_sheet": {
        "fr": "Aucune feuille reconnue : les en-têtes attendus (par exemple alliance, "
              "indicateur, période, valeur) sont introuvables. Partez du modèle à télécharger.",
        "en": "No sheet recognised: the expected headers (for example alliance, indicator, "
              "period, value) were not found. Start from the downloadable template.",
    },
    "err.no_header": {
        "fr": "Ligne d'en-tête introuvable pour cette feuille ({kind}) : vérifiez les noms de "
              "colonnes.",
        "en": "No header row found in this sheet ({kind}): check the column names.",
    },
    "err.missing_column": {
        "fr": "Colonne obligatoire absente : « {column} ».",
        "en": "Required column missing: \u201c{column}\u201d.",
    },
    "err.no_rows": {
        "fr": "La feuille n'a que sa ligne d'en-tête : ajoutez des lignes de données.",
        "en": "The sheet only has its header row: add data rows.",
    },
    "err.required": {
        "fr": "Valeur obligatoire manquante.",
        "en": "Required value missing.",
    },
    "err.bad_number": {
        "fr": "Nombre illisible : écrivez par exemple 1234,5 ou 1 234,5 (ou laissez vide / n.d. "
              "si la valeur manque).",
        "en": "Not a number: write for example 1234.5 or 1 234,5 (or leave empty / n.d. if the "
              "value is missing).",
    },
    "err.bad_period": {
        "fr": "Période illisible : écrivez 2023, T2 2023, 05/2023, mai 2023 ou 31/05/2023.",
        "en": "Not a period: write 2023, Q2 2023, 05/2023, May 2023 or 31/05/2023.",
    },
    "err.bad_choice": {
        "fr": "Valeur non reconnue : choisissez parmi {choices}.",
        "en": "Value not recognised: choose one of {choices}.",
    },
    "err.bad_code": {
        "fr": "Code d'indicateur invalide : utilisez des lettres, des chiffres et des _.",
        "en": "Invalid indicator code: use letters, digits and _.",
    },
    "err.bad_population": {
        "fr": "La population doit être un nombre entier d'habitants supérieur à zéro.",
        "en": "Population must be a whole number of inhabitants above zero.",
    },
    "err.target_equals_baseline": {
        "fr": "La cible est égale à la valeur de référence : la progression ne peut pas se "
              "calculer.",
        "en": "The target equals the baseline: progress cannot be computed.",
    },
    "err.target_before_baseline": {
        "fr": "La période cible doit venir après la période de référence.",
        "en": "The target period must come after the baseline period.",
    },
    "err.unknown_alliance": {
        "fr": "Alliance inconnue : déclarez-la dans la feuille « alliances » ou corrigez le nom.",
        "en": "Unknown alliance: declare it in the \u201calliances\u201d sheet or fix the name.",
    },
    "err.unknown_indicator": {
        "fr": "Indicateur inconnu : utilisez un code du catalogue ou déclarez-le dans la "
              "feuille « indicateurs ».",
        "en": "Unknown indicator: use a catalog code or declare it in the \u201cindicators\u201d "
              "sheet.",
    },
    "err.unknown_stakeholder": {
        "fr": "Partenaire inconnu pour cette alliance : déclarez-le dans la feuille "
              "« partenaires ».",
        "en": "Unknown stakeholder for this alliance: declare it in the \u201cstakeholders\u201d "
              "sheet.",
    },
    "err.conflict": {
        "fr": "Valeur différente de la ligne {first} de « {sheet} » pour la même clé : gardez "
              "une seule des deux lignes.",
        "en": "Differs from row {first} of \u201c{sheet}\u201d for the same key: keep only one "
              "of the two rows.",
    },
    "err.refused": {
        "fr": "Fichier refusé, rien n'a été enregistré : {count} problème(s) à corriger.",
        "en": "File refused, nothing was saved: {count} problem(s) to fix.",
    },
    "err.db_locked": {
        "fr": "La base « {path} » est utilisée par un autre programme (l'application est-elle "
              "ouverte ?) : fermez-le puis réessayez.",
        "en": "The database \u201c{path}\u201d is in use by another program (is the app "
              "running?): close it and try again.",
    },
    "err.db_open": {
        "fr": "Impossible d'ouvrir la base « {path} » : {reason}",
        "en": "Cannot open the database \u201c{path}\u201d: {reason}",
    },
    "err.write_failed": {
        "fr": "L'enregistrement a échoué, les données sont restées telles qu'avant : {reason}",
        "en": "Saving failed, the data was left as it was: {reason}",
    },
    "err.no_such_upload": {
        "fr": "L'import n° {upload} n'existe pas.",
        "en": "Upload #{upload} does not exist.",
    },
    "err.already_rolled_back": {
        "fr": "L'import n° {upload} a déjà été annulé.",
        "en": "Upload #{upload} was already rolled back.",
    },
    "err.file_not_found": {
        "fr": "Fichier introuvable : {file}",
        "en": "File not found: {file}",
    },
    "err.export_format": {
        "fr": "Format d'export non pris en charge : utilisez un nom finissant par .csv ou .xlsx.",
        "en": "Unsupported export format: use a name ending in .csv or .xlsx.",
    },
    "err.unknown_alliance_name": {
        "fr": "Alliance inconnue : « {name} ».",
        "en": "Unknown alliance: \u201c{name}\u201d.",
    },
    "err.access_denied": {
        "fr": "Vous n'avez pas accès à l'alliance « {name} ».",
        "en": "You do not have access to the alliance \u201c{name}\u201d.",
    },
    "where.row": {"fr": "ligne {row}", "en": "row {row}"},
    "where.column": {"fr": "colonne {column}", "en": "column {column}"},
    "col.sheet": {"fr": "Feuille", "en": "Sheet"},
    "col.row": {"fr": "Ligne", "en": "Row"},
    "col.column": {"fr": "Colonne", "en": "Column"},
    "col.value": {"fr": "Valeur", "en": "Value"},
    "col.reason": {"fr": "Problème", "en": "Problem"},
    "progress.reading": {"fr": "Lecture du fichier…", "en": "Reading the file…"},
    "progress.checking": {"fr": "Vérification des lignes…", "en": "Checking the rows…"},
    "progress.comparing": {
        "fr": "Comparaison avec les données enregistrées…",
        "en": "Comparing with the stored data…",
    },
    "progress.done": {"fr": "Vérification terminée.", "en": "Check complete."},
    # Import summaries.
    "summary.imported": {
        "fr": "Import n° {upload} : {added} ajoutée(s), {changed} modifiée(s), {unchanged} "
              "inchangée(s), {missing} valeur(s) manquante(s) ignorée(s).",
        "en": "Upload #{upload}: {added} added, {changed} changed, {unchanged} unchanged, "
              "{missing} missing value(s) skipped.",
    },
    "summary.dry_run": {
        "fr": "Simulation, rien n'a été enregistré : {added} ajoutée(s), {changed} modifiée(s), "
              "{unchanged} inchangée(s), {missing} valeur(s) manquante(s) ignorée(s).",
        "en": "Dry run, nothing was saved: {added} added, {changed} changed, {unchanged} "
              "unchanged, {missing} missing value(s) skipped.",
    },
    "summary.nothing_new": {
        "fr": "Rien de nouveau : ce fichier ne change aucune donnée ({unchanged} inchangée(s), "
              "{missing} valeur(s) manquante(s) ignorée(s)).",
        "en": "Nothing new: this file changes no data ({unchanged} unchanged, {missing} missing "
              "value(s) skipped).",
    },
    "summary.rolled_back": {
        "fr": "Import n° {upload} annulé : les valeurs précédentes sont rétablies.",
        "en": "Upload #{upload} rolled back: the previous values are restored.",
    },
    "summary.exported": {
        "fr": "{rows} ligne(s) exportée(s) vers {file}.",
        "en": "{rows} row(s) exported to {file}.",
    },
    "summary.template": {
        "fr": "Modèle écrit dans {file}.",
        "en": "Template written to {file}.",
    },
    "summary.seeded": {
        "fr": "Données d'exemple chargées. {summary}",
        "en": "Sample data loaded. {summary}",
    },
    "change.added": {"fr": "ajoutée", "en": "added"},
    "change.changed": {"fr": "modifiée", "en": "changed"},
    "change.unchanged": {"fr": "inchangée", "en": "unchanged"},
}


def t(key: str, lang: str, **params: Any) -> str:
    """The string ``key`` in ``lang`` (French if the language is unknown), formatted."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["fr"]
    return text.format(**params) if params else text
