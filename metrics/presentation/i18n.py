"""Every user-facing string, in French and English, declared once.

``t(key, lang, **params)`` formats one. A test checks that every key has both languages and
that every key is used somewhere in the code.
"""

from __future__ import annotations

from typing import Any

from metrics.base.errors import MetricsError

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
    "err.duplicate_column": {
        "fr": "Colonnes en double : {columns} disent la même chose, on ne saurait laquelle "
        "lire. Gardez-en une seule (ou renommez l'autre).",
        "en": "Duplicate columns: {columns} say the same thing, so which one to read would be a "
        "guess. Keep only one (or rename the other).",
    },
    "err.limit_size": {
        "fr": "Fichier refusé, rien n'a été enregistré : « {where} » pèse {found} Mo, la "
        "limite est de {allowed} Mo par fichier. Découpez-le en plusieurs fichiers.",
        "en": "File refused, nothing was saved: “{where}” weighs {found} MB, the "
        "limit is {allowed} MB per file. Split it into several files.",
    },
    "err.limit_rows": {
        "fr": "Fichier refusé, rien n'a été enregistré : la feuille « {where} » compte {found} "
        "lignes, la limite est de {allowed} lignes par feuille. Découpez-la en plusieurs "
        "fichiers.",
        "en": "File refused, nothing was saved: the sheet “{where}” has {found} "
        "rows, the limit is {allowed} rows per sheet. Split it into several files.",
    },
    "err.limit_columns": {
        "fr": "Fichier refusé, rien n'a été enregistré : la feuille « {where} » s'étend sur "
        "{found} colonnes, la limite est de {allowed} colonnes. Supprimez les colonnes vides "
        "ou inutiles (une cellule écrite loin à droite suffit à étendre la feuille).",
        "en": "File refused, nothing was saved: the sheet “{where}” spans {found} "
        "columns, the limit is {allowed} columns. Delete the empty or unused columns (one "
        "cell written far to the right is enough to stretch the sheet).",
    },
    "err.limit_sheets": {
        "fr": "Fichier refusé, rien n'a été enregistré : le classeur compte {found} feuilles, la "
        "limite est de {allowed}. Supprimez les feuilles inutiles ou découpez le classeur.",
        "en": "File refused, nothing was saved: the workbook has {found} sheets, the limit is "
        "{allowed}. Delete the sheets you do not need or split the workbook.",
    },
    "err.limit_cells": {
        "fr": "Fichier refusé, rien n'a été enregistré : la feuille « {where} » s'étend sur "
        "{found} cellules (lignes × colonnes, vides comprises), la limite est de {allowed}. "
        "Supprimez les lignes et colonnes vides en bas et à droite, ou découpez la feuille.",
        "en": "File refused, nothing was saved: the sheet \u201c{where}\u201d spans {found} "
        "cells (rows × columns, empty ones included), the limit is {allowed}. Delete the empty "
        "rows and columns at the bottom and right, or split the sheet.",
    },
    "err.limit_unpacked": {
        "fr": "Fichier refusé, rien n'a été enregistré : une feuille du classeur ({where}) "
        "fait {found} Mo une fois décompressée, la limite est de {allowed} Mo. Découpez le "
        "classeur.",
        "en": "File refused, nothing was saved: a sheet of the workbook ({where}) takes {found} "
        "MB once unpacked, the limit is {allowed} MB. Split the workbook.",
    },
    "data.not_shown": {
        "fr": "… et {count} autre(s) valeur(s) ajoutée(s) ou modifiée(s), non listées ici : "
        "elles seront enregistrées aussi.",
        "en": "… and {count} more value(s) added or changed, not listed here: they will be "
        "saved too.",
    },
    "data.limits": {
        "fr": "Jusqu'à {size} Mo et {sheets} feuilles par fichier ; {rows} lignes et {columns} "
        "colonnes par feuille ; {cell} caractères par cellule.",
        "en": "Up to {size} MB and {sheets} sheets per file; {rows} rows and {columns} columns "
        "per sheet; {cell} characters per cell.",
    },
    "cli.error_cell": {
        "fr": "{where} : erreur Excel « {error} », comptée comme valeur manquante.",
        "en": "{where}: Excel error “{error}”, counted as a missing value.",
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
        "fr": "Nombre illisible : écrivez par exemple 1234,5 ou 1 234,5, en chiffres simples "
        "(10² s'écrit 100), ou laissez vide / n.d. si la valeur manque.",
        "en": "Not a number: write for example 1234.5 or 1 234,5, in plain digits (10² is "
        "written 100), or leave empty / n.d. if the value is missing.",
    },
    "err.parse_memory": {
        "fr": "« {file} » n'a pas pu être lu : sa lecture demandait plus de {memory} Mo de mémoire "
        "(un fichier de tableur qui se décompresse en une taille démesurée, ou une cellule placée "
        "très loin). Rien n'a été enregistré. Réenregistrez le fichier depuis votre tableur, "
        "ou découpez-le.",
        "en": "\u201c{file}\u201d could not be read: reading it needed more than {memory} MB of "
        "memory (a spreadsheet that unpacks to an outsized file, or a cell placed very far "
        "away). Nothing was written. Save the file again from your spreadsheet, or split it.",
    },
    "err.parse_time": {
        "fr": "« {file} » n'a pas pu être lu en {seconds} secondes : rien n'a été enregistré. "
        "Réenregistrez le fichier depuis votre tableur, ou découpez-le.",
        "en": "\u201c{file}\u201d could not be read within {seconds} seconds: nothing was "
        "written. Save the file again from your spreadsheet, or split it.",
    },
    "err.parse_failed": {
        "fr": "« {file} » n'a pas pu être lu : le fichier est endommagé ou d'un format que le "
        "lecteur ne connaît pas. Rien n'a été enregistré. Ouvrez-le dans votre tableur et "
        "enregistrez-le en XLSX, ODS ou CSV.",
        "en": "\u201c{file}\u201d could not be read: the file is damaged or in a form the "
        "reader does not know. Nothing was written. Open it in your spreadsheet and save it "
        "as XLSX, ODS or CSV.",
    },
    "err.cell_long": {
        "fr": "Cellule trop longue : 32 767 caractères au plus, la taille maximale d'une cellule "
        "de tableur.",
        "en": "Cell too long: 32,767 characters at most, the largest cell a spreadsheet holds.",
    },
    "err.csv_long_cell": {
        "fr": "Ligne {line} : une cellule dépasse {limit} caractères, la taille maximale d'une "
        "cellule de tableur. Vérifiez que le fichier est bien un tableau de valeurs.",
        "en": "Line {line}: a cell is longer than {limit} characters, the largest cell a "
        "spreadsheet holds. Check that the file is a table of values.",
    },
    "err.csv_open_quote": {
        "fr": "Ligne {line} : un guillemet \" ouvre une cellule qui n'est jamais refermée (le "
        "reste du fichier serait lu comme une seule cellule). Fermez ou retirez ce guillemet.",
        "en": 'Line {line}: a quote " opens a cell that is never closed (the rest of the file '
        "would be read as one cell). Close or remove that quote.",
    },
    "err.csv_quote": {
        "fr": 'Ligne {line} : du texte suit le guillemet qui ferme une cellule ("a"b). '
        "Mettez toute la cellule entre guillemets et doublez les guillemets qu'elle contient.",
        "en": 'Line {line}: text follows the quote that closes a cell ("a"b). Quote the '
        "whole cell and double the quotes inside it.",
    },
    "err.mixed_encoding": {
        "fr": "Le fichier mélange deux encodages de caractères : la ligne {utf8_line} est en "
        "UTF-8 mais la ligne {line} ne l'est pas (Windows-1252 ?). Lu d'une seule façon, des "
        "noms seraient enregistrés déformés (« Ã‰conomie »). Enregistrez le fichier en "
        "« CSV UTF-8 » depuis votre tableur, ou corrigez la ligne {line}.",
        "en": "The file mixes two character encodings: line {utf8_line} is UTF-8 but line "
        "{line} is not (Windows-1252?). Read either way, some names would be stored garbled "
        "(\u201cÃ‰conomie\u201d). Save the file as \u201cCSV UTF-8\u201d from your "
        "spreadsheet, or fix line {line}.",
    },
    "err.number_out_of_range": {
        "fr": "Nombre hors limites : une valeur doit rester sous 1 000 000 000 000 000 (10^15) "
        "en valeur absolue et ne pas être si petite qu'elle deviendrait 0 (1e-400). Vérifiez "
        "l'unité ou la cellule.",
        "en": "Number out of range: a value must stay below 1,000,000,000,000,000 (10^15) in "
        "absolute value and not be so small that it would become 0 (1e-400). Check the unit or "
        "the cell.",
    },
    "err.bad_period": {
        "fr": "Période illisible : écrivez 2023, T2 2023, 05/2023, mai 2023 ou 31/05/2023 "
        "(années 1900 à 2099).",
        "en": "Not a period: write 2023, Q2 2023, 05/2023, May 2023 or 31/05/2023 (years 1900 to "
        "2099).",
    },
    "err.bad_choice": {
        "fr": "Valeur non reconnue : choisissez parmi {choices}.",
        "en": "Value not recognised: choose one of {choices}.",
    },
    "err.name_no_letters": {
        "fr": "Nom sans lettre ni chiffre : un nom fait seulement de ponctuation ou de symboles "
        "se confondrait avec d'autres. Écrivez le nom en lettres (tout alphabet).",
        "en": "A name with no letter or digit: a name made only of punctuation or symbols would "
        "match others. Write the name in letters (any script).",
    },
    "err.name_hidden": {
        "fr": "Le nom contient un caractère invisible ou de contrôle (saut de ligne, tabulation, "
        "espace de largeur nulle, inversion du sens du texte…) qui le ferait ressembler à un "
        "autre : retapez le nom dans la cellule.",
        "en": "The name holds an invisible or control character (line break, tab, zero-width "
        "space, text direction override…) that would make it look like another: type the name "
        "again in the cell.",
    },
    "err.name_too_long": {
        "fr": "Nom trop long : {limit} caractères au plus.",
        "en": "Name too long: {limit} characters at most.",
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
    "err.example_row": {
        "fr": "Ligne d'exemple du modèle : supprimez-la ou remplacez-la par les données de "
        "votre alliance (rien de ce qui nomme « Alliance exemple » n'est importé).",
        "en": "The template's example row: delete it or replace it with your alliance's data "
        "(nothing that names \u201cAlliance exemple\u201d is imported).",
    },
    "err.unknown_contract": {
        "fr": "Contrat inconnu : déclarez-le dans la feuille « contrats_impact » ou corrigez "
        "le nom.",
        "en": "Unknown contract: declare it in the \u201coutcome_contracts\u201d sheet or fix "
        "the name.",
    },
    "err.ambiguous_contract": {
        "fr": "Plusieurs alliances ont un contrat de ce nom : ajoutez une colonne « alliance » "
        "qui nomme celle du contrat.",
        "en": "Several alliances have a contract of this name: add an “alliance” "
        "column naming the contract's alliance.",
    },
    "err.contract_terms": {
        "fr": "Un contrat sans grille tarifaire (feuille « tarifs ») est payé sur son "
        "amélioration : donnez sa taille de cohorte, sa référence de comparaison, son seuil "
        "global et son prix unitaire, ou sa grille tarifaire.",
        "en": "A contract without a rate card (\u201coutcome_prices\u201d sheet) is paid on its "
        "improvement: give its cohort size, comparison baseline, overall threshold and price "
        "per unit, or its rate card.",
    },
    "err.share_range": {
        "fr": "Une part est un pourcentage entre 0 et 100 (par exemple 40 pour 40 %).",
        "en": "A share is a percentage between 0 and 100 (for example 40 for 40%).",
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
    "err.bad_coordinate": {
        "fr": "Coordonnée hors limites : entre {low} et {high} degrés.",
        "en": "Coordinate out of range: between {low} and {high} degrees.",
    },
    "err.half_coordinate": {
        "fr": "Donnez la latitude et la longitude ensemble, ou aucune des deux.",
        "en": "Give latitude and longitude together, or neither.",
    },
    "err.not_positive": {
        "fr": "La valeur doit être supérieure à zéro.",
        "en": "The value must be above zero.",
    },
    "err.end_before_start": {
        "fr": "La fin doit venir après le début.",
        "en": "The end must come after the start.",
    },
    "err.refused": {
        "fr": "Fichier refusé, rien n'a été enregistré : {count} problème(s) à corriger.",
        "en": "File refused, nothing was saved: {count} problem(s) to fix.",
    },
    "err.migrate_not_empty": {
        "fr": "La destination {dest} contient déjà des données ou des comptes : la copie se "
        "fait vers une base neuve (une autre base PostgreSQL, ou un nouveau fichier).",
        "en": "The destination {dest} already holds data or accounts: the copy goes to a new "
        "database (another PostgreSQL database, or a new file).",
    },
    "err.migrate_same": {
        "fr": "La destination est la base d'origine : donnez une autre base avec --to.",
        "en": "The destination is the source database: give another one with --to.",
    },
    "err.migrate_schema": {
        "fr": "La destination {dest} a été créée par une autre version de l'application : "
        "mettez les deux à la même version avant de copier.",
        "en": "The destination {dest} was made by another version of the application: bring "
        "both to the same version before copying.",
    },
    "err.migrate_differs": {
        "fr": "Copie annulée, rien n'a été gardé : relues après la copie, ces tables diffèrent "
        "de l'origine ({tables}).",
        "en": "Copy cancelled, nothing was kept: read back after the copy, these tables differ "
        "from the source ({tables}).",
    },
    "err.write_conflict": {
        "fr": "Un autre traitement a modifié les mêmes données pendant cette opération, "
        "plusieurs fois de suite : rien n'a été enregistré, réessayez dans un instant.",
        "en": "Other work changed the same data during this operation, several times in a "
        "row: nothing was saved, try again in a moment.",
    },
    "err.lake_extension": {
        "fr": "La base partagée a besoin du paquet Python « {package} » : installez les "
        "dépendances de requirements.txt.",
        "en": "The shared database needs the Python package “{package}”: install the "
        "dependencies in requirements.txt.",
    },
    "err.lake_data_path": {
        "fr": "Cette base partagée n'existe pas encore : pour la créer, donnez le dossier de "
        "ses fichiers de données dans la variable {variable}.",
        "en": "This shared database does not exist yet: to create it, give the folder of its "
        "data files in the variable {variable}.",
    },
    "err.db_locked": {
        "fr": "La base « {path} » est restée occupée {seconds} s par un autre traitement (un "
        "import lancé en ligne de commande, par exemple) : réessayez dans un instant, ou "
        "attendez plus longtemps (variable IMPACT_DB_WAIT, en secondes).",
        "en": "The database \u201c{path}\u201d stayed busy for {seconds} s with other work (an "
        "import run from the command line, for example): try again in a moment, or wait longer "
        "(variable IMPACT_DB_WAIT, in seconds).",
    },
    "app.waiting_db": {
        "fr": "Base occupée par un autre traitement : la page attend…",
        "en": "Database busy with other work: the page waits…",
    },
    "cli.waiting_db": {
        "fr": "La base « {path} » est ouverte par un autre traitement (l'application, un "
        "import) : en attente, {seconds} s au plus…",
        "en": "The database \u201c{path}\u201d is open in other work (the app, an import): "
        "waiting, {seconds} s at most…",
    },
    "err.db_open": {
        "fr": "Impossible d'ouvrir la base « {path} » : {reason}",
        "en": "Cannot open the database \u201c{path}\u201d: {reason}",
    },
    "err.write_failed": {
        "fr": "L'enregistrement a échoué, les données sont restées telles qu'avant : {reason}",
        "en": "Saving failed, the data was left as it was: {reason}",
    },
    "err.illustrative_field": {
        "fr": "« {name} » n'est ni une colonne de la feuille des contrats ni une feuille du "
        "contrat : nommez les chiffres illustratifs par leurs colonnes (prix_unitaire, "
        "effectif…) ou leur feuille (investissements, paiements…), séparés par des virgules.",
        "en": "\u201c{name}\u201d is neither a column of the contracts sheet nor a sheet of the "
        "contract: name the illustrative figures by their columns (price_per_unit, "
        "population…) or their sheet (investments, payments…), separated by commas.",
    },
    "err.note_denied": {
        "fr": "Vous ne pouvez pas écrire de note sur l'alliance « {name} » : il faut le rôle "
        "de contribution ou de pilotage. Demandez-le au pilotage de l'alliance.",
        "en": "You may not write notes on the alliance \u201c{name}\u201d: you need the "
        "editor or lead role. Ask the alliance's lead.",
    },
    "err.note_not_author": {
        "fr": "Seule la personne qui a écrit la note n° {note} peut la modifier ou la retirer "
        "(et il lui faut encore le rôle de contribution ou de pilotage). Ajoutez plutôt une "
        "note à la suite.",
        "en": "Only the person who wrote note #{note} may edit or withdraw it (and only while "
        "they still hold the editor or lead role). Add a note after it instead.",
    },
    "err.no_such_note": {
        "fr": "La note n° {note} n'existe pas.",
        "en": "Note #{note} does not exist.",
    },
    "err.note_withdrawn": {
        "fr": "La note n° {note} a été retirée : elle ne peut plus être modifiée.",
        "en": "Note #{note} was withdrawn: it can no longer be edited.",
    },
    "err.note_empty": {
        "fr": "La note est vide : écrivez son texte.",
        "en": "The note is empty: write its text.",
    },
    "err.note_long": {
        "fr": "La note fait {length} caractères, au-delà de la limite de {limit} : "
        "raccourcissez-la ou joignez le détail au compte rendu.",
        "en": "The note is {length} characters long, over the limit of {limit}: shorten it "
        "or put the detail in the minutes.",
    },
    "err.note_kind": {
        "fr": "Type de note inconnu : « {kind} ». Choisissez note ou décision.",
        "en": "Unknown kind of note: \u201c{kind}\u201d. Choose note or decision.",
    },
    "err.note_period": {
        "fr": "Période non reconnue : « {period} ». Écrivez par exemple 2024, T2 2024 ou 05/2024.",
        "en": "Period not recognised: \u201c{period}\u201d. Write for example 2024, Q2 2024 "
        "or 05/2024.",
    },
    "err.note_indicator": {
        "fr": "Indicateur inconnu : « {code} ».",
        "en": "Unknown indicator: \u201c{code}\u201d.",
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
    # Accounts, roles and rights.
    "err.upload_denied": {
        "fr": "Fichier refusé, rien n'a été enregistré : vous ne pouvez pas écrire de données "
        "pour {names}. Il faut le rôle de contribution ou de pilotage sur chacune de ces "
        "alliances (seule l'administration crée une alliance) : retirez ces lignes ou "
        "demandez ce rôle à l'administration.",
        "en": "File refused, nothing was saved: you may not write data for {names}. You need "
        "the editor or lead role on each of these alliances (only an admin creates an "
        "alliance): remove these rows or ask an admin for the role.",
    },
    "err.indicator_denied": {
        "fr": "Fichier refusé, rien n'a été enregistré : seule l'administration ajoute ou "
        "modifie un indicateur du catalogue ({codes}). Retirez la feuille des indicateurs ou "
        "demandez cet ajout à l'administration.",
        "en": "File refused, nothing was saved: only an admin adds or changes an indicator of "
        "the catalog ({codes}). Remove the indicators sheet or ask an admin to add it.",
    },
    "err.validate_denied": {
        "fr": "Seul le pilotage de l'alliance (ou l'administration) valide un import : "
        "vous ne pouvez pas valider pour {names}. Importez sans valider.",
        "en": "Only the alliance's lead (or an admin) validates an upload: you may not "
        "validate for {names}. Import without validating.",
    },
    "err.rollback_upload_denied": {
        "fr": "Vous ne pouvez pas annuler l'import n° {upload} : il contient des données "
        "d'alliances sur lesquelles vous n'avez pas le rôle de contribution. Demandez-le à "
        "l'administration.",
        "en": "You may not roll back upload #{upload}: it holds data of alliances where you do "
        "not have the editor role. Ask an admin.",
    },
    "err.validate_upload_denied": {
        "fr": "Vous ne pouvez pas valider l'import n° {upload} : seul le pilotage de chaque "
        "alliance qu'il contient (ou l'administration) le peut.",
        "en": "You may not validate upload #{upload}: only the lead of every alliance it holds "
        "(or an admin) may.",
    },
    "err.download_upload_denied": {
        "fr": "Vous ne pouvez pas télécharger le fichier de l'import n° {upload} : il contient "
        "des données d'alliances auxquelles vous n'avez pas accès.",
        "en": "You may not download the file of upload #{upload}: it holds data of alliances "
        "you cannot read.",
    },
    "err.validate_rolled_back": {
        "fr": "L'import n° {upload} a été annulé : il n'y a plus rien à valider.",
        "en": "Upload #{upload} was rolled back: there is nothing left to validate.",
    },
    "err.already_validated": {
        "fr": "L'import n° {upload} est déjà validé.",
        "en": "Upload #{upload} is already validated.",
    },
    "err.admin_only": {
        "fr": "Réservé à l'administration.",
        "en": "For admins only.",
    },
    "err.manage_denied": {
        "fr": "Seule l'administration, ou le pilotage de l'alliance concernée, gère ces comptes "
        "et ces rôles.",
        "en": "Only an admin, or the lead of the alliance concerned, manages these accounts and "
        "roles.",
    },
    "err.bad_email": {
        "fr": "Adresse e-mail invalide : « {email} ». Écrivez par exemple nom@organisation.fr.",
        "en": "Invalid e-mail address: “{email}”. Write for example name@example.org.",
    },
    "err.account_name": {
        "fr": "Donnez un nom au compte (celui qui s'affichera dans l'historique).",
        "en": "Give the account a name (the one shown in the history).",
    },
    "err.account_exists": {
        "fr": "Un compte existe déjà pour {email} : donnez-lui un rôle au lieu de le recréer.",
        "en": "An account already exists for {email}: grant it a role instead of creating it.",
    },
    "err.no_such_account": {
        "fr": "Aucun compte pour {email} : créez-le d'abord.",
        "en": "No account for {email}: create it first.",
    },
    "err.no_active_account": {
        "fr": "Aucun compte actif pour {email}.",
        "en": "No active account for {email}.",
    },
    "err.last_admin": {
        "fr": "Refusé : ce compte est le dernier compte d'administration actif. Donnez d'abord "
        "ce rôle à un autre compte.",
        "en": "Refused: this is the last active admin account. Make another account an admin "
        "first.",
    },
    "err.bad_role": {
        "fr": "Rôle inconnu : « {role} ». Rôles possibles : {roles}.",
        "en": "Unknown role: “{role}”. Possible roles: {roles}.",
    },
    "err.role_needs_alliance": {
        "fr": "Le rôle « {role} » se donne sur une alliance : précisez laquelle.",
        "en": "The role “{role}” is granted on an alliance: say which one.",
    },
    "err.role_needs_portfolio": {
        "fr": "Le rôle de financement se donne sur un portefeuille : précisez lequel.",
        "en": "The funder role is granted on a portfolio: say which one.",
    },
    "err.no_such_portfolio": {
        "fr": "Portefeuille inconnu : « {name} ». Créez-le d'abord avec ses alliances.",
        "en": "Unknown portfolio: “{name}”. Create it first with its alliances.",
    },
    "err.admin_no_target": {
        "fr": "Le rôle d'administration vaut pour toute l'installation : ne précisez ni "
        "alliance ni portefeuille.",
        "en": "The admin role covers the whole installation: give neither an alliance nor a "
        "portfolio.",
    },
    "err.no_such_grant": {
        "fr": "{email} n'a pas ce rôle ({role}) : rien à retirer.",
        "en": "{email} does not hold this role ({role}): nothing to revoke.",
    },
    "err.portfolio_name": {
        "fr": "Donnez un nom au portefeuille.",
        "en": "Give the portfolio a name.",
    },
    "err.password_short": {
        "fr": "Mot de passe trop court : au moins {length} caractères. Une phrase de plusieurs "
        "mots sans rapport entre eux est longue et facile à retenir.",
        "en": "Password too short: at least {length} characters. A phrase of several unrelated "
        "words is long and easy to remember.",
    },
    "err.password_long": {
        "fr": "Mot de passe trop long : au plus {length} caractères.",
        "en": "Password too long: at most {length} characters.",
    },
    "err.password_common": {
        "fr": "Ce mot de passe figure dans une liste de mots de passe courants ou divulgués : "
        "choisissez-en un autre, par exemple une phrase de plusieurs mots sans rapport entre "
        "eux.",
        "en": "This password is in a list of common or leaked passwords: choose another one, "
        "for example a phrase of several unrelated words.",
    },
    "err.password_guessable": {
        "fr": "Mot de passe trop facile à deviner (caractères répétés, suites comme 123456 ou "
        "azerty, mots ou mots de passe courants) : choisissez par exemple une phrase de "
        "plusieurs mots sans rapport entre eux.",
        "en": "Password too easy to guess (repeated characters, sequences such as 123456 or "
        "qwerty, common words or passwords): choose for example a phrase of several unrelated "
        "words.",
    },
    "err.password_context": {
        "fr": "Le mot de passe ne doit reprendre ni l'adresse e-mail du compte (ni ce qui "
        "précède son @) ni le nom de l'application : choisissez-en un autre.",
        "en": "The password must not contain the account's e-mail address (nor what comes "
        "before its @) nor the application's name: choose another one.",
    },
    "err.password_mismatch": {
        "fr": "Les deux mots de passe diffèrent : rien n'a été enregistré.",
        "en": "The two passwords differ: nothing was saved.",
    },
    "err.sign_in_failed": {
        "fr": "Adresse e-mail ou mot de passe incorrect.",
        "en": "Wrong e-mail address or password.",
    },
    "err.sign_in_locked": {
        "fr": "Trop d'essais manqués depuis cet appareil : réessayez dans {minutes} min.",
        "en": "Too many failed attempts from this device: try again in {minutes} min.",
    },
    "err.sign_in_account_locked": {
        "fr": "Connexion par mot de passe suspendue pour ce compte après {count} essais "
        "manqués : l'administration ou le pilotage de votre alliance peut la rétablir "
        "(python -m metrics users unlock), ou connectez-vous par le fournisseur d'identité de "
        "votre organisation s'il est configuré.",
        "en": "Password sign-in is suspended for this account after {count} failed attempts: "
        "an admin or your alliance's lead can restore it (python -m metrics users unlock), or "
        "sign in through your organisation's identity provider if it is configured.",
    },
    "err.account_disabled": {
        "fr": "Ce compte est désactivé : adressez-vous à l'administration.",
        "en": "This account is disabled: ask your admin.",
    },
    "err.sso_unverified": {
        "fr": "Votre fournisseur d'identité n'a pas confirmé votre adresse e-mail : connexion "
        "refusée. Adressez-vous à l'administration.",
        "en": "Your identity provider did not confirm your e-mail address: sign-in refused. "
        "Ask your admin.",
    },
    "err.sso_no_account": {
        "fr": "Aucun compte pour {email} : demandez à l'administration (ou au pilotage de votre "
        "alliance) de le créer.",
        "en": "No account for {email}: ask your admin (or your alliance's lead) to create it.",
    },
    "err.init_demo": {
        "fr": "Cette base contient la démonstration : choisissez un autre fichier (--db) pour "
        "une installation réelle.",
        "en": "This database holds the demo: choose another file (--db) for a real install.",
    },
    "err.init_done": {
        "fr": "Cette installation a déjà des comptes : ajoutez-en avec « users add ».",
        "en": "This installation already has accounts: add more with “users add”.",
    },
    "prompt.password": {"fr": "Mot de passe : ", "en": "Password: "},
    "prompt.password_again": {"fr": "Mot de passe (encore) : ", "en": "Password (again): "},
    "summary.validated": {
        "fr": "Import n° {upload} validé : les financeurs voient désormais ces données.",
        "en": "Upload #{upload} validated: funders now see this data.",
    },
    "summary.init": {
        "fr": "Installation prête : {email} peut se connecter (administration).",
        "en": "Install ready: {email} can sign in (admin).",
    },
    "summary.users_add": {"fr": "Compte créé : {email}.", "en": "Account created: {email}."},
    "summary.users_grant": {"fr": "Rôle donné à {email}.", "en": "Role granted to {email}."},
    "summary.users_revoke": {"fr": "Rôle retiré à {email}.", "en": "Role revoked from {email}."},
    "summary.users_disable": {
        "fr": "Compte désactivé : {email}.",
        "en": "Account disabled: {email}.",
    },
    "summary.users_enable": {"fr": "Compte réactivé : {email}.", "en": "Account enabled: {email}."},
    "summary.users_unlock": {
        "fr": "Connexion rétablie pour {email} : ses essais manqués ne comptent plus.",
        "en": "Sign-in restored for {email}: its failed attempts no longer count.",
    },
    "summary.users_invite": {
        "fr": "{email} a ce rôle. Une adresse qui avait déjà un compte le garde tel quel (nom, "
        "mot de passe) ; sans compte, le rôle l'attend.",
        "en": "{email} holds this role. An address that already had an account keeps it as it "
        "was (name, password); without one, the role awaits it.",
    },
    "summary.migrated": {
        "fr": "Installation copiée vers {dest} : {tables} tables, {rows} lignes, chaque table "
        "relue des deux côtés (lignes et somme de contrôle identiques).",
        "en": "Installation copied to {dest}: {tables} tables, {rows} rows, every table read "
        "back from both sides (same rows and checksum).",
    },
    "summary.portfolio": {
        "fr": "Portefeuille « {name} » : {count} alliance(s) ajoutée(s).",
        "en": "Portfolio “{name}”: {count} alliance(s) added.",
    },
    "status.submitted": {"fr": "soumis, à valider", "en": "submitted, to be validated"},
    "status.validated": {"fr": "validé", "en": "validated"},
    "status.rolled_back": {"fr": "annulé", "en": "rolled back"},
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
        "fr": "Import n° {upload} ({status}) : {added} ajoutée(s), {changed} modifiée(s), "
        "{unchanged} inchangée(s), {missing} valeur(s) manquante(s) ignorée(s).",
        "en": "Upload #{upload} ({status}): {added} added, {changed} changed, {unchanged} "
        "unchanged, {missing} missing value(s) skipped.",
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
    # Interface.
    "ui.language": {"fr": "Langue", "en": "Language"},
    "nav.sign_in": {"fr": "Connexion", "en": "Sign in"},
    "pack.section": {"fr": "Dossier du comité de pilotage", "en": "Steering committee pack"},
    "pack.section_help": {
        "fr": "Un PDF A4 à emporter en réunion, et les mêmes pages en diapositives : les scores "
        "de {year} et leur évolution, ce qui a changé depuis l'année précédente, les notes et "
        "décisions du comité, chaque dimension, l'équilibre entre partenaires, le baromètre "
        "de confiance, la complétude et la méthode.",
        "en": "An A4 PDF to take into the meeting, and the same pages as slides: the {year} "
        "scores and their change, what changed since the year before, the committee's notes "
        "and decisions, each dimension, the balance between stakeholders, the trust "
        "barometer, completeness and the method.",
    },
    "pack.build": {"fr": "Préparer le dossier {year}", "en": "Prepare the {year} pack"},
    "pack.building": {
        "fr": "Préparation du dossier (graphiques et mise en page)…",
        "en": "Preparing the pack (charts and layout)…",
    },
    "pack.download": {"fr": "Télécharger le dossier (PDF)", "en": "Download the pack (PDF)"},
    "pack.download_slides": {
        "fr": "Télécharger les diapositives (PowerPoint)",
        "en": "Download the slides (PowerPoint)",
    },
    "pack.file": {"fr": "dossier {alliance} {year}", "en": "pack {alliance} {year}"},
    "pack.portfolio_title": {"fr": "Portefeuille « {name} »", "en": "Portfolio “{name}”"},
    "pack.portfolio_all": {"fr": "Portefeuille d'alliances", "en": "Portfolio of alliances"},
    "pack.portfolio_count": {"fr": "{count} alliance(s)", "en": "{count} alliance(s)"},
    "pack.one_pager_file": {"fr": "portefeuille {date}.pdf", "en": "portfolio {date}.pdf"},
    "pack.one_pager": {
        "fr": "Télécharger la synthèse d'une page (PDF)",
        "en": "Download the one-page summary (PDF)",
    },
    "pack.written": {
        "fr": "Dossier écrit : {path} ({size} ko).",
        "en": "Pack written: {path} ({size} KB).",
    },
    "err.pack_charts": {
        "fr": "Le dossier n'a pas pu dessiner ses graphiques : il lui faut Chromium sur le "
        "serveur (paquet Debian « chromium »). Détail : {reason}",
        "en": "The pack could not draw its charts: it needs Chromium on the server (Debian "
        "package “chromium”). Detail: {reason}",
    },
    "err.pack_portfolio": {
        "fr": "Portefeuille « {name} » inconnu, ou demandé autrement qu'en PDF : la synthèse "
        "d'un portefeuille s'écrit en PDF (voir « users list » pour les portefeuilles).",
        "en": "Unknown portfolio “{name}”, or asked for as something else than a PDF: a "
        "portfolio's summary is written as a PDF (see “users list” for the portfolios).",
    },
    "err.pack_format": {
        "fr": "« {name} » : le dossier s'écrit en PDF ou en diapositives PowerPoint ; donnez un "
        "nom qui finit par .pdf ou .pptx.",
        "en": "“{name}”: the pack is written as a PDF or as PowerPoint slides; give a name "
        "ending in .pdf or .pptx.",
    },
    "pack.period_line": {
        "fr": "Comité de pilotage · année {year}",
        "en": "Steering committee · year {year}",
    },
    "pack.as_of": {
        "fr": "Données à l'import n° {upload} du {date} ({status})",
        "en": "Data as of upload #{upload} of {date} ({status})",
    },
    "pack.no_notes": {
        "fr": "Aucune note ni décision du comité pour cette période.",
        "en": "No note or decision of the committee for this period.",
    },
    "pack.note_by": {
        "fr": "Écrite par {author} le {date} (n° {note})",
        "en": "Written by {author} on {date} (#{note})",
    },
    "pack.note_edited": {"fr": "modifiée le {date}", "en": "edited on {date}"},
    "pack.no_upload": {"fr": "Aucune donnée importée", "en": "No data uploaded"},
    "pack.made": {"fr": "Document établi le {date}", "en": "Made on {date}"},
    "pack.scores": {"fr": "Les trois scores", "en": "The three scores"},
    "pack.col.dimension": {"fr": "Dimension", "en": "Dimension"},
    "pack.col.score": {"fr": "Score", "en": "Score"},
    "pack.col.change": {"fr": "Évolution", "en": "Change"},
    "pack.col.coverage": {"fr": "Couverture", "en": "Coverage"},
    "pack.coverage": {
        "fr": "{n} indicateur(s) sur {total}",
        "en": "{n} of {total} indicator(s)",
    },
    "pack.no_score": {
        "fr": "pas de score : aucun indicateur avec cible et valeur",
        "en": "no score: no indicator with a target and a value",
    },
    "pack.changes": {
        "fr": "Ce qui a changé depuis {previous}",
        "en": "What changed since {previous}",
    },
    "pack.no_changes": {
        "fr": "Aucun indicateur n'a changé d'une année complète à l'autre.",
        "en": "No indicator changed from one complete year to the next.",
    },
    "pack.change.rose": {
        "fr": "{indicator} : en hausse, de {before} à {now}",
        "en": "{indicator}: up, from {before} to {now}",
    },
    "pack.change.fell": {
        "fr": "{indicator} : en baisse, de {before} à {now}",
        "en": "{indicator}: down, from {before} to {now}",
    },
    "pack.change.reached": {
        "fr": "{indicator} : cible atteinte ({now}, contre {before} en {previous})",
        "en": "{indicator}: target reached ({now}, against {before} in {previous})",
    },
    "pack.change.missing": {
        "fr": "{indicator} : pas de valeur pour {year} ({before} en {previous})",
        "en": "{indicator}: no value for {year} ({before} in {previous})",
    },
    "pack.change.partial": {
        "fr": "{indicator} : valeur partielle pour {year} ({now} à ce jour)",
        "en": "{indicator}: partial value for {year} ({now} so far)",
    },
    "nav.not_allowed": {"fr": "Page réservée", "en": "Page not open to you"},
    "nav.not_allowed_text": {
        "fr": "Votre compte n'ouvre pas cette page. Les pages que vous pouvez consulter sont "
        "dans le menu ; un administrateur peut vous donner un rôle qui l'ouvre.",
        "en": "Your account does not open this page. The pages you may see are in the menu; "
        "an administrator can give you a role that opens it.",
    },
    "nav.accounts": {"fr": "Comptes", "en": "Accounts"},
    "nav.audit": {"fr": "Journal", "en": "Audit log"},
    "demo.banner": {
        "fr": "Démonstration : alliances fictives et comptes de démonstration, un par rôle. "
        "N'y saisissez pas de vraies données.",
        "en": "Demo: fictional alliances and demo accounts, one per role. Do not enter real "
        "data here.",
    },
    "signin.title": {"fr": "Connexion", "en": "Sign in"},
    "signin.no_account": {
        "fr": "Aucun compte n'existe encore. L'administration crée le premier avec "
        "`python -m metrics init --admin EMAIL`.",
        "en": "No account exists yet. An admin creates the first one with "
        "`python -m metrics init --admin EMAIL`.",
    },
    "signin.with_password": {"fr": "Avec un mot de passe", "en": "With a password"},
    "signin.email": {"fr": "Adresse e-mail", "en": "E-mail address"},
    "signin.password": {"fr": "Mot de passe", "en": "Password"},
    "signin.submit": {"fr": "Se connecter", "en": "Sign in"},
    "signin.sso": {"fr": "Avec votre organisation", "en": "With your organisation"},
    "signin.sso_help": {
        "fr": "Connexion unique par le fournisseur d'identité de votre organisation : votre "
        "compte est retrouvé par son adresse e-mail.",
        "en": "Single sign-on through your organisation's identity provider: your account is "
        "found by its e-mail address.",
    },
    "signin.sso_button": {
        "fr": "Se connecter avec votre organisation",
        "en": "Sign in with your organisation",
    },
    "signin.sso_other": {
        "fr": "Se déconnecter du fournisseur d'identité",
        "en": "Sign out of the identity provider",
    },
    "signin.demo": {"fr": "Comptes de démonstration", "en": "Demo accounts"},
    "signin.demo_help": {
        "fr": "Un compte par rôle, sans mot de passe : chacun voit l'application telle que ce "
        "rôle la voit.",
        "en": "One account per role, no password: each sees the app as that role does.",
    },
    "signin.expired": {
        "fr": "Votre session a expiré (inactivité, ou durée maximale atteinte) : reconnectez-vous.",
        "en": "Your session expired (inactivity, or its longest duration reached): sign in again.",
    },
    "signin.disabled": {
        "fr": "Votre compte a été désactivé : adressez-vous à l'administration.",
        "en": "Your account was disabled: ask your admin.",
    },
    "signin.signed_out": {"fr": "Vous êtes déconnecté.", "en": "You are signed out."},
    "signin.ended": {
        "fr": "Votre session a pris fin (déconnexion dans un autre onglet, ou mot de passe "
        "changé) : reconnectez-vous.",
        "en": "Your session has ended (signed out in another tab, or the password was "
        "changed): sign in again.",
    },
    "signin.sign_out": {"fr": "Se déconnecter", "en": "Sign out"},
    "role.admin": {"fr": "Administration", "en": "Admin"},
    "role.viewer": {"fr": "Lecture", "en": "Viewer"},
    "role.editor": {"fr": "Contribution", "en": "Editor"},
    "role.lead": {"fr": "Pilotage", "en": "Lead"},
    "role.funder": {"fr": "Financement", "en": "Funder"},
    "role_help.admin": {
        "fr": "Toutes les alliances, les comptes et le journal.",
        "en": "Every alliance, the accounts and the audit log.",
    },
    "role_help.lead": {
        "fr": "Présidence du comité de pilotage : importe, valide les imports, gère les comptes "
        "de l'alliance.",
        "en": "Chair of the steering committee: uploads, validates uploads, manages the "
        "alliance's accounts.",
    },
    "role_help.editor": {
        "fr": "Importe les tableurs de l'alliance, peut annuler ses imports, écrit les notes "
        "et décisions du comité.",
        "en": "Uploads the alliance's spreadsheets, can roll its uploads back, writes the "
        "committee's notes and decisions.",
    },
    "role_help.viewer": {
        "fr": "Lit les données de l'alliance, validées ou non.",
        "en": "Reads the alliance's data, validated or not.",
    },
    "role_help.funder": {
        "fr": "Suit un portefeuille d'alliances, sur leurs données validées seulement.",
        "en": "Follows a portfolio of alliances, on their validated data only.",
    },
    "accounts.title": {"fr": "Comptes et rôles", "en": "Accounts and roles"},
    "accounts.intro": {
        "fr": "Qui peut se connecter, avec quel rôle. **Lecture** : lit l'alliance ; "
        "**contribution** : importe et annule ses imports, écrit les notes du comité ; "
        "**pilotage** : valide les imports et gère les comptes de l'alliance ; "
        "**financement** : lit les données validées d'un portefeuille ; "
        "**administration** : tout.",
        "en": "Who may sign in, with which role. **Viewer**: reads the alliance; **editor**: "
        "uploads and rolls its uploads back, writes the committee's notes; **lead**: "
        "validates uploads and manages the alliance's accounts; **funder**: reads a "
        "portfolio's validated data; **admin**: everything.",
    },
    "accounts.col.email": {"fr": "E-mail", "en": "E-mail"},
    "accounts.col.name": {"fr": "Nom", "en": "Name"},
    "accounts.col.roles": {"fr": "Rôles", "en": "Roles"},
    "accounts.col.sign_in": {"fr": "Connexion", "en": "Sign-in"},
    "accounts.col.status": {"fr": "État", "en": "Status"},
    "accounts.col.last_seen": {"fr": "Dernière activité", "en": "Last active"},
    "accounts.password": {"fr": "mot de passe", "en": "password"},
    "accounts.sso": {"fr": "organisation (SSO)", "en": "organisation (SSO)"},
    "accounts.demo": {"fr": "démonstration", "en": "demo"},
    "accounts.status.active": {"fr": "actif", "en": "active"},
    "accounts.status.disabled": {"fr": "désactivé", "en": "disabled"},
    "accounts.locked": {
        "fr": "connexion par mot de passe suspendue ({count} essais manqués)",
        "en": "password sign-in suspended ({count} failed attempts)",
    },
    "accounts.unlock": {"fr": "Rétablir la connexion", "en": "Restore sign-in"},
    "accounts.no_role": {"fr": "aucun pour l'instant", "en": "none for now"},
    "accounts.role": {"fr": "Rôle", "en": "Role"},
    "accounts.alliance": {"fr": "Alliance", "en": "Alliance"},
    "accounts.alliances": {"fr": "Alliances", "en": "Alliances"},
    "accounts.portfolio": {"fr": "Portefeuille", "en": "Portfolio"},
    "accounts.portfolios": {"fr": "Portefeuilles", "en": "Portfolios"},
    "accounts.portfolio_new": {
        "fr": "Choisir ou saisir un nouveau nom",
        "en": "Choose or type a new name",
    },
    "accounts.portfolio_button": {
        "fr": "Ajouter au portefeuille",
        "en": "Add to the portfolio",
    },
    "accounts.add": {"fr": "Ajouter un compte", "en": "Add an account"},
    "accounts.add_button": {"fr": "Créer le compte", "en": "Create the account"},
    "accounts.new_password": {"fr": "Mot de passe", "en": "Password"},
    "accounts.new_password_help": {
        "fr": "Au moins {length} caractères. Laissez vide pour un compte qui se connecte par "
        "le fournisseur d'identité de son organisation.",
        "en": "At least {length} characters. Leave empty for an account that signs in through "
        "its organisation's identity provider.",
    },
    "accounts.grant": {"fr": "Donner un rôle", "en": "Grant a role"},
    "accounts.grant_help": {
        "fr": "Un compte existant (saisissez son e-mail s'il n'est pas dans la liste).",
        "en": "An existing account (type its e-mail if it is not in the list).",
    },
    "accounts.grant_button": {"fr": "Donner ce rôle", "en": "Grant this role"},
    "accounts.revoke": {"fr": "Retirer un rôle", "en": "Revoke a role"},
    "accounts.revoke_pick": {"fr": "Rôle à retirer", "en": "Role to revoke"},
    "accounts.revoke_button": {"fr": "Retirer ce rôle", "en": "Revoke this role"},
    "accounts.no_grant": {"fr": "Aucun rôle donné.", "en": "No role granted."},
    "accounts.status": {"fr": "Désactiver, mot de passe", "en": "Disable, password"},
    "accounts.disable": {"fr": "Désactiver ce compte", "en": "Disable this account"},
    "accounts.enable": {"fr": "Réactiver ce compte", "en": "Enable this account"},
    "accounts.set_password": {"fr": "Définir ce mot de passe", "en": "Set this password"},
    "accounts.password_set": {
        "fr": "Mot de passe défini pour {email}.",
        "en": "Password set for {email}.",
    },
    "audit.title": {"fr": "Journal d'audit", "en": "Audit log"},
    "audit.intro": {
        "fr": "Chaque connexion, import, validation, annulation, téléchargement, note et "
        "changement de compte ou de rôle, y compris les tentatives refusées, comme l'ouverture "
        "d'une page réservée. Le journal ne se modifie pas.",
        "en": "Every sign-in, upload, validation, rollback, download, note and change of account "
        "or role, refused attempts included, such as opening a page not open to the account. "
        "The log cannot be changed.",
    },
    "audit.since": {"fr": "Depuis le", "en": "Since"},
    "audit.actions": {"fr": "Actions", "en": "Actions"},
    "audit.account": {"fr": "Compte (contient)", "en": "Account (contains)"},
    "audit.col.time": {"fr": "Date", "en": "Time"},
    "audit.col.account": {"fr": "Compte", "en": "Account"},
    "audit.col.action": {"fr": "Action", "en": "Action"},
    "audit.col.object": {"fr": "Objet", "en": "Object"},
    "audit.col.outcome": {"fr": "Résultat", "en": "Outcome"},
    "audit.col.details": {"fr": "Détails", "en": "Details"},
    "audit.outcome.ok": {"fr": "fait", "en": "done"},
    "audit.outcome.refused": {"fr": "refusé", "en": "refused"},
    "audit.count": {"fr": "{count} entrée(s).", "en": "{count} entries."},
    "audit.csv": {"fr": "Télécharger en CSV", "en": "Download as CSV"},
    "action.sign_in": {"fr": "connexion", "en": "sign-in"},
    "action.sign_in_failed": {"fr": "connexion manquée", "en": "failed sign-in"},
    "action.sign_in_locked": {"fr": "connexion bloquée", "en": "sign-in locked"},
    "action.sign_in_unlock": {"fr": "connexion rétablie", "en": "sign-in restored"},
    "action.sign_out": {"fr": "déconnexion", "en": "sign-out"},
    "action.session_expired": {"fr": "session expirée", "en": "session expired"},
    "action.upload": {"fr": "import", "en": "upload"},
    "action.validate": {"fr": "validation", "en": "validation"},
    "action.rollback": {"fr": "annulation", "en": "rollback"},
    "action.download": {"fr": "téléchargement d'un fichier", "en": "file download"},
    "action.export": {"fr": "export", "en": "export"},
    "action.page_open": {"fr": "page ouverte", "en": "page opened"},
    "action.account_add": {"fr": "compte créé", "en": "account created"},
    "action.account_disable": {"fr": "compte désactivé", "en": "account disabled"},
    "action.account_enable": {"fr": "compte réactivé", "en": "account enabled"},
    "action.password_set": {"fr": "mot de passe défini", "en": "password set"},
    "action.grant": {"fr": "rôle donné", "en": "role granted"},
    "action.revoke": {"fr": "rôle retiré", "en": "role revoked"},
    "action.portfolio_add": {"fr": "portefeuille modifié", "en": "portfolio changed"},
    "action.audit_export": {"fr": "export du journal", "en": "audit log export"},
    "dashboard.comments": {
        "fr": "Commentaires importés avec les valeurs ({count}) : aussi au survol des points",
        "en": "Comments imported with the values ({count}): also when hovering the points",
    },
    "dashboard.col.indicator": {"fr": "Indicateur", "en": "Indicator"},
    "dashboard.col.period": {"fr": "Période", "en": "Period"},
    "dashboard.col.stakeholder": {"fr": "Partenaire", "en": "Partner"},
    "dashboard.col.comment": {"fr": "Commentaire", "en": "Comment"},
    "notes.title": {"fr": "Notes et décisions du comité", "en": "Committee notes and decisions"},
    "notes.help": {
        "fr": "Ce que le comité de pilotage a noté ou décidé, sur l'alliance ou sur un "
        "indicateur et une période (une étoile ★ le marque alors sur le graphique de "
        "l'indicateur). Chaque note garde son auteur, sa date et toutes ses versions ; seule "
        "la personne qui l'a écrite la modifie ou la retire. Les notes figurent dans le "
        "dossier de séance.",
        "en": "What the steering committee noted or decided, on the alliance or on an "
        "indicator and a period (a star ★ then marks it on the indicator's chart). Each note "
        "keeps its author, its date and every version; only the person who wrote it edits or "
        "withdraws it. Notes are in the meeting pack.",
    },
    "notes.help_read": {
        "fr": "Ce que le comité de pilotage a noté ou décidé (une étoile ★ marque une note sur "
        "le graphique de son indicateur). Écrire une note demande le rôle de contribution ou "
        "de pilotage de l'alliance.",
        "en": "What the steering committee noted or decided (a star ★ marks a note on its "
        "indicator's chart). Writing a note needs the alliance's editor or lead role.",
    },
    "notes.add": {"fr": "Écrire une note ou une décision", "en": "Write a note or a decision"},
    "notes.none": {
        "fr": "Aucune note ni décision pour cette alliance.",
        "en": "No note or decision for this alliance yet.",
    },
    "notes.all": {"fr": "Afficher les {count} notes", "en": "Show all {count} notes"},
    "notes.kind": {"fr": "Type", "en": "Kind"},
    "notes.indicator": {"fr": "Indicateur", "en": "Indicator"},
    "notes.whole_alliance": {"fr": "Toute l'alliance", "en": "The whole alliance"},
    "notes.period": {"fr": "Période", "en": "Period"},
    "notes.no_period": {"fr": "Aucune période", "en": "No period"},
    "notes.body": {"fr": "Texte", "en": "Text"},
    "notes.save": {"fr": "Enregistrer la note", "en": "Save the note"},
    "notes.saved": {"fr": "Note n° {note} enregistrée.", "en": "Note #{note} saved."},
    "notes.written": {
        "fr": "Écrite par {author} le {date} (n° {note})",
        "en": "Written by {author} on {date} (#{note})",
    },
    "notes.edited": {
        "fr": "modifiée le {date} ({count} versions)",
        "en": "edited on {date} ({count} versions)",
    },
    "notes.history": {"fr": "Voir les versions", "en": "See the versions"},
    "notes.col.version": {"fr": "Version", "en": "Version"},
    "notes.col.when": {"fr": "Date", "en": "Date"},
    "notes.col.who": {"fr": "Par", "en": "By"},
    "notes.col.kind": {"fr": "Type", "en": "Kind"},
    "notes.col.body": {"fr": "Texte", "en": "Text"},
    "notes.withdrawn": {"fr": "(retirée)", "en": "(withdrawn)"},
    "notes.edit": {"fr": "Modifier", "en": "Edit"},
    "notes.save_edit": {"fr": "Enregistrer la nouvelle version", "en": "Save the new version"},
    "notes.edit_saved": {
        "fr": "Note n° {note} modifiée : la version précédente est gardée.",
        "en": "Note #{note} edited: the previous version is kept.",
    },
    "notes.withdraw_confirm": {
        "fr": "Retirer cette note du tableau de bord et du dossier (ses versions restent "
        "dans l'historique)",
        "en": "Withdraw this note from the dashboard and the pack (its versions stay in the "
        "history)",
    },
    "notes.withdraw": {"fr": "Retirer la note", "en": "Withdraw the note"},
    "notes.withdrawn_done": {"fr": "Note n° {note} retirée.", "en": "Note #{note} withdrawn."},
    "notes.kind.note": {"fr": "Note", "en": "Note"},
    "notes.kind.decision": {"fr": "Décision", "en": "Decision"},
    "action.note_add": {"fr": "note écrite", "en": "note written"},
    "action.note_edit": {"fr": "note modifiée", "en": "note edited"},
    "action.note_withdraw": {"fr": "note retirée", "en": "note withdrawn"},
    "action.migrate": {"fr": "installation copiée ici", "en": "installation copied here"},
    "data.status.validated": {
        "fr": "validé le {when}",
        "en": "validated on {when}",
    },
    "data.other_alliances": {
        "fr": "(fichier contenant aussi d'autres alliances)",
        "en": "(file also holding other alliances)",
    },
    "data.original_hidden": {
        "fr": "Ce fichier contient aussi des données d'alliances auxquelles vous n'avez pas "
        "accès : il ne peut être téléchargé que par l'administration.",
        "en": "This file also holds data of alliances you cannot read: only an admin can "
        "download it.",
    },
    "data.col.alliances": {"fr": "Alliances", "en": "Alliances"},
    "data.validate_help": {
        "fr": "Valider un import confirme que le comité de pilotage a vérifié ces chiffres : "
        "les financeurs les voient alors.",
        "en": "Validating an upload confirms that the steering committee checked these "
        "figures: funders then see them.",
    },
    "data.validate": {"fr": "Valider l'import n° {upload}", "en": "Validate upload #{upload}"},
    "data.read_only": {
        "fr": "Votre rôle (lecture) permet de consulter l'historique ; la contribution et le "
        "pilotage importent des fichiers.",
        "en": "Your role (viewer) lets you read the history; editors and leads import files.",
    },
    "data.uploading_as": {
        "fr": "Import enregistré au nom de {who}, pour : {alliances}.",
        "en": "Uploads are recorded as {who}, for: {alliances}.",
    },
    "data.all_alliances": {"fr": "toutes les alliances", "en": "every alliance"},
    "nav.home": {"fr": "Accueil", "en": "Home"},
    "nav.data": {"fr": "Données", "en": "Data"},
    "home.title": {
        "fr": "Tableau de bord d'impact des alliances territoriales",
        "en": "Impact dashboard for territorial alliances",
    },
    "home.intro": {
        "fr": "Les alliances territoriales réunissent entreprises, collectivités, associations "
        "et citoyens d'un même territoire pour réduire une fragilité locale. Ce tableau de "
        "bord suit leurs trois impacts : **innovation sociétale**, **performance des "
        "parties prenantes** et **climat de confiance**.",
        "en": "Territorial alliances bring together companies, local authorities, associations "
        "and citizens of one territory to fix a local fragility. This dashboard follows "
        "their three impacts: **societal innovation**, **stakeholder performance** and "
        "**climate of trust**.",
    },
    "home.alliances": {"fr": "Alliances", "en": "Alliances"},
    "home.values": {"fr": "Valeurs enregistrées", "en": "Values stored"},
    "home.last_upload": {"fr": "Dernier import", "en": "Last upload"},
    "home.list": {"fr": "Les alliances", "en": "The alliances"},
    "home.empty": {
        "fr": "Aucune alliance pour l'instant : importez un fichier depuis la page Données.",
        "en": "No alliance yet: import a file from the Data page.",
    },
    "home.caption": {
        "fr": "« Données jusqu'à » : fin de la période la plus récente ayant une valeur.",
        "en": "\u201cData up to\u201d: end of the most recent period that has a value.",
    },
    "home.to_data": {
        "fr": "Importer ou corriger des données",
        "en": "Import or correct data",
    },
    "home.col.name": {"fr": "Alliance", "en": "Alliance"},
    "home.col.territory": {"fr": "Territoire (code INSEE)", "en": "Territory (INSEE code)"},
    "home.col.population": {"fr": "Habitants", "en": "Inhabitants"},
    "home.col.theme": {"fr": "Thématique", "en": "Theme"},
    "home.col.stage": {"fr": "Étape", "en": "Stage"},
    "home.col.stakeholders": {"fr": "Partenaires", "en": "Stakeholders"},
    "home.col.indicators": {"fr": "Indicateurs", "en": "Indicators"},
    "home.indicators_help": {
        "fr": "Indicateurs suivis : ceux dont l'alliance a au moins une valeur.",
        "en": "Indicators tracked: those the alliance has at least one value of.",
    },
    "home.col.last_period": {"fr": "Données jusqu'à", "en": "Data up to"},
    "data.title": {"fr": "Données de l'alliance", "en": "Alliance data"},
    "data.intro": {
        "fr": "Importez vos tableurs (CSV, XLSX ou ODS). Chaque fichier est vérifié ligne par "
        "ligne avant tout enregistrement : vous voyez ce qui sera ajouté ou modifié, puis "
        "vous confirmez. Chaque import est conservé et peut être annulé.",
        "en": "Import your spreadsheets (CSV, XLSX or ODS). Every file is checked row by row "
        "before anything is saved: you see what would be added or changed, then you "
        "confirm. Every upload is kept and can be rolled back.",
    },
    "data.template": {"fr": "1. Le modèle", "en": "1. The template"},
    "data.template_help": {
        "fr": "Le modèle contient une feuille par type de données (alliances, partenaires, "
        "indicateurs, données, objectifs, essaimage, contrats à impact), une ligne d'exemple "
        "(au nom d'« Alliance exemple » : remplacez-la, elle n'est jamais importée), "
        "des listes déroulantes et "
        "une feuille « lisez-moi » qui explique chaque colonne. Les données en colonnes "
        "(une colonne par année) sont aussi acceptées.",
        "en": "The template has one sheet per kind of data (alliances, stakeholders, "
        "indicators, observations, targets, replications, outcome contracts), an example row "
        "(naming \u201cAlliance exemple\u201d: replace it, it is never imported), "
        "dropdowns and a "
        "\u201creadme\u201d sheet explaining each column. Wide data (one column per "
        "year) is accepted too.",
    },
    "data.template_button": {"fr": "Télécharger le modèle", "en": "Download the template"},
    "data.template_file": {"fr": "modele_alliances.xlsx", "en": "alliances_template.xlsx"},
    "data.upload": {"fr": "2. Importer un fichier", "en": "2. Import a file"},
    "data.file": {"fr": "Fichier CSV, XLSX ou ODS", "en": "CSV, XLSX or ODS file"},
    "data.upload_button": {"fr": "Choisir un fichier", "en": "Upload"},
    "data.upload_limits": {
        "fr": "ou déposez-le ici · CSV, TXT, XLSX, XLS, ODS",
        "en": "or drop it here · CSV, TXT, XLSX, XLS, ODS",
    },
    "data.file_help": {
        "fr": "Rien n'est enregistré avant votre confirmation.",
        "en": "Nothing is saved before you confirm.",
    },
    "data.problems_download": {
        "fr": "Télécharger la liste des problèmes",
        "en": "Download the list of problems",
    },
    "data.problems_many": {
        "fr": "Plus de {count} problèmes : faites défiler le tableau ou téléchargez la liste.",
        "en": "More than {count} problems: scroll the table or download the list.",
    },
    "data.sheets_read": {"fr": "Feuilles lues : {sheets}.", "en": "Sheets read: {sheets}."},
    "data.sheets_ignored": {
        "fr": "Feuilles ignorées (en-têtes non reconnus) : {sheets}.",
        "en": "Sheets ignored (headers not recognised): {sheets}.",
    },
    "data.missing_list": {
        "fr": "{count} cellule(s) sans valeur (vides, n.d., NA…) : elles ne sont pas enregistrées",
        "en": "{count} cell(s) without a value (empty, n.d., NA…): they are not saved",
    },
    "data.nothing_new": {
        "fr": "Ce fichier ne change rien : toutes ses valeurs sont déjà enregistrées.",
        "en": "This file changes nothing: all its values are already stored.",
    },
    "data.dry_run_intro": {
        "fr": "**Simulation** : voici ce que l'import ajouterait ou modifierait. Rien n'est "
        "encore enregistré.",
        "en": "**Dry run**: this is what the import would add or change. Nothing is saved yet.",
    },
    "data.confirm": {"fr": "Confirmer l'import", "en": "Confirm the import"},
    "data.history": {"fr": "3. Historique des imports", "en": "3. Upload history"},
    "data.no_history": {"fr": "Aucun import pour l'instant.", "en": "No upload yet."},
    "data.pick": {"fr": "Choisir un import", "en": "Choose an upload"},
    "data.pick_label": {"fr": "n° {upload} · {file} · {when}", "en": "#{upload} · {file} · {when}"},
    "data.original": {
        "fr": "Télécharger le fichier d'origine",
        "en": "Download the original file",
    },
    "data.as_of": {
        "fr": "Voir les données telles qu'elles étaient juste après l'import n° {upload}",
        "en": "See the data as it stood right after upload #{upload}",
    },
    "data.as_of_help": {"fr": "{count} valeur(s) à cette date.", "en": "{count} value(s) then."},
    "data.as_of_first": {
        "fr": "{count} valeurs à cette date : les {shown} premières sont affichées (par "
        "alliance, indicateur et période).",
        "en": "{count} values then: the first {shown} are shown (by alliance, indicator and "
        "period).",
    },
    "data.rollback_help": {
        "fr": "Annuler un import rétablit, pour chaque valeur qu'il avait ajoutée ou modifiée, "
        "la valeur précédente. L'import reste dans l'historique et son fichier est "
        "conservé.",
        "en": "Rolling back an upload restores, for each value it added or changed, the "
        "previous value. The upload stays in the history and its file is kept.",
    },
    "data.rollback_confirm": {
        "fr": "Je confirme l'annulation de l'import n° {upload}",
        "en": "I confirm rolling back upload #{upload}",
    },
    "data.rollback": {"fr": "Annuler l'import n° {upload}", "en": "Roll back upload #{upload}"},
    "data.status.rolled_back": {
        "fr": "annulé le {when}",
        "en": "rolled back on {when}",
    },
    "data.col.change": {"fr": "Changement", "en": "Change"},
    "data.col.source": {"fr": "Feuille : ligne", "en": "Sheet: row"},
    "data.count.added": {"fr": "Ajoutées", "en": "Added"},
    "data.count.changed": {"fr": "Modifiées", "en": "Changed"},
    "data.count.unchanged": {"fr": "Inchangées", "en": "Unchanged"},
    "data.col.kind": {"fr": "Type", "en": "Kind"},
    "data.col.alliance": {"fr": "Alliance", "en": "Alliance"},
    "data.col.indicator": {"fr": "Indicateur", "en": "Indicator"},
    "data.col.period": {"fr": "Période", "en": "Period"},
    "data.col.stakeholder": {"fr": "Partenaire", "en": "Stakeholder"},
    "data.col.stakeholder_or_contract": {
        "fr": "Partenaire ou contrat",
        "en": "Stakeholder or contract",
    },
    "data.col.old": {"fr": "Ancienne valeur", "en": "Old value"},
    "data.col.new": {"fr": "Nouvelle valeur", "en": "New value"},
    "data.col.value": {"fr": "Valeur", "en": "Value"},
    "data.col.upload": {"fr": "Import n°", "en": "Upload #"},
    "data.col.when": {"fr": "Date", "en": "Date"},
    "data.col.file": {"fr": "Fichier", "en": "File"},
    "data.col.who": {"fr": "Par", "en": "By"},
    "data.col.decided_by": {"fr": "Validé ou annulé par", "en": "Validated or rolled back by"},
    "data.col.missing": {"fr": "Valeurs manquantes", "en": "Missing values"},
    "data.col.status": {"fr": "Statut", "en": "Status"},
    "filter.alliance": {"fr": "Alliance", "en": "Alliance"},
    "filter.granularity": {"fr": "Pas de temps", "en": "Time step"},
    "filter.years": {"fr": "Années", "en": "Years"},
    "granularity.year": {"fr": "Année", "en": "Year"},
    "granularity.quarter": {"fr": "Trimestre", "en": "Quarter"},
    "granularity.month": {"fr": "Mois", "en": "Month"},
    "nav.dashboard": {"fr": "Tableau de bord", "en": "Dashboard"},
    "dashboard.title": {"fr": "Tableau de bord de l'alliance", "en": "Alliance dashboard"},
    "dashboard.card_help": {
        "fr": "Progression moyenne vers les cibles des indicateurs de cette dimension qui ont "
        "un objectif : 0 % = valeur de référence, 100 % = cible atteinte ; au-delà de 100 %, "
        "la cible est dépassée ; sous 0 %, la valeur est en deçà de la référence.",
        "en": "Mean progress to target of this dimension's indicators that have a target: "
        "0% = baseline, 100% = target reached; above 100%, the target is exceeded; below 0%, "
        "the value is worse than the baseline.",
    },
    "dashboard.no_score": {
        "fr": "Pas de score : aucun indicateur de cette dimension n'a à la fois un objectif et "
        "une valeur sur la période.",
        "en": "No score: no indicator of this dimension has both a target and a value over "
        "the period.",
    },
    "dashboard.yearly_only": {
        "fr": "Pas de score dans cette vue : les valeurs ou les objectifs de cette dimension "
        "sont annuels (la somme d'un trimestre ou d'un mois ne se compare pas à une cible "
        "annuelle). Son score se lit par année.",
        "en": "No score in this view: this dimension's values or targets are yearly (a "
        "quarter's or a month's sum does not compare with a yearly target). Its score is read "
        "by year.",
    },
    "dashboard.to_yearly": {"fr": "Voir par année", "en": "See by year"},
    "dashboard.points": {"fr": "{points} pts", "en": "{points} pts"},
    "dashboard.card_caption": {
        "fr": "{period} (évolution depuis {previous}) · {n} indicateur(s) sur {total}",
        "en": "{period} (change since {previous}) · {n} of {total} indicator(s)",
    },
    "dashboard.indicators": {"fr": "Indicateurs", "en": "Indicators"},
    "dashboard.completeness": {"fr": "Complétude des données", "en": "Data completeness"},
    "dashboard.completeness_summary": {
        "fr": "**{missing}** valeur(s) annuelle(s) manquante(s), **{partial}** partielle(s) "
        "(année en cours ou mois manquants). Dernier import de données de cette alliance : "
        "{upload}.",
        "en": "**{missing}** yearly value(s) missing, **{partial}** partial (year in progress "
        "or months missing). Last upload of this alliance's data: {upload}.",
    },
    "dashboard.how": {
        "fr": "Comment ces chiffres sont calculés",
        "en": "How these figures are computed",
    },
    "dashboard.how_text": {
        "fr": "- **Regroupement dans le temps** : chaque indicateur suit sa règle — somme pour "
        "les flux (emplois créés), moyenne pour les taux et les notes, dernière valeur "
        "pour les stocks (bénévoles). Une valeur annuelle n'apparaît pas dans une vue "
        "trimestrielle ou mensuelle.\n"
        "- **Partenaires** : une valeur déclarée pour l'alliance prime ; sinon les valeurs "
        "des partenaires s'additionnent (flux, stocks) ou se moyennent (taux, notes).\n"
        "- **Progression vers la cible** = (valeur − référence) / (cible − référence) : "
        "0 % à la référence, 100 % à la cible, même formule pour un indicateur à faire "
        "baisser. Une somme n'est comparée à une cible annuelle qu'en vue annuelle.\n"
        "- **Score d'une dimension** = moyenne des progressions de ses indicateurs qui ont "
        "une cible et une valeur sur la période ; la couverture dit combien en avaient "
        "une. Une somme partielle (année en cours) est affichée en creux mais n'entre pas "
        "dans le score.\n"
        "- **Sans cible**, un indicateur est suivi par un indice : première période = 100, "
        "corrigé du sens (une baisse de 25 % du chômage donne 125).\n"
        "- **Couleurs** : point vert quand la valeur évolue dans le bon sens depuis la "
        "période précédente, rouge sinon.",
        "en": "- **Over time**: each indicator follows its rule — sum for flows (jobs "
        "created), mean for rates and scores, last value for stocks (volunteers). A "
        "yearly value does not appear in a quarterly or monthly view.\n"
        "- **Stakeholders**: a value reported for the alliance comes first; otherwise the "
        "stakeholders' values add up (flows, stocks) or are averaged (rates, scores).\n"
        "- **Progress to target** = (value − baseline) / (target − baseline): 0% at the "
        "baseline, 100% at the target, the same formula for an indicator to bring down. "
        "A sum is compared with a yearly target in the yearly view only.\n"
        "- **Dimension score** = mean progress of its indicators that have a target and a "
        "value in the period; the coverage says how many had one. A partial sum (year in "
        "progress) is drawn hollow and left out of the score.\n"
        "- **Without a target**, an indicator is followed by an index: first period = "
        "100, direction-adjusted (a 25% fall in unemployment reads 125).\n"
        "- **Colours**: a green point when the value moved the good way since the "
        "previous period, red otherwise.",
    },
    "nav.stakeholders": {"fr": "Partenaires", "en": "Stakeholders"},
    "nav.trust": {"fr": "Baromètre de confiance", "en": "Trust barometer"},
    "stakeholders.title": {
        "fr": "Ce que chaque partenaire retire de l'alliance",
        "en": "What each stakeholder gets from the alliance",
    },
    "stakeholders.intro": {
        "fr": "La **performance des parties prenantes** : pour chaque partenaire, les gains "
        "dans sa propre activité (coûts évités, portée, financements, chiffre "
        "d'affaires).",
        "en": "**Stakeholder performance**: for each partner, what it gains in its own "
        "activity (costs saved, reach, funding, revenue).",
    },
    "stakeholders.gains": {"fr": "Gains par partenaire", "en": "Gains by stakeholder"},
    "stakeholders.indicator": {"fr": "Indicateur", "en": "Indicator"},
    "stakeholders.no_performance": {
        "fr": "Aucune valeur de performance propre à un partenaire sur la période.",
        "en": "No stakeholder-level performance value over the period.",
    },
    "stakeholders.balance": {
        "fr": "Équilibre entre partenaires",
        "en": "Balance between stakeholders",
    },
    "stakeholders.balance_help": {
        "fr": "Chaque case compare la dernière période complète d'un partenaire à sa première : "
        "+25 % veut dire 25 % de mieux, dans le sens de l'indicateur. Une case vide : "
        "moins de deux périodes.",
        "en": "Each cell compares a stakeholder's latest complete period with its first: "
        "+25% means 25% better, in the indicator's direction. An empty cell: fewer "
        "than two periods.",
    },
    "stakeholders.reporting": {
        "fr": "Quels partenaires transmettent des données",
        "en": "Which stakeholders report data",
    },
    "stakeholders.silent": {
        "fr": "Aucune valeur transmise sur la période par : {names}.",
        "en": "No value reported over the period by: {names}.",
    },
    "stakeholders.how_text": {
        "fr": "- Les valeurs sont celles que chaque partenaire a déclarées (colonne "
        "« partenaire » des données), regroupées par période selon la règle de "
        "l'indicateur (somme, moyenne ou dernière valeur).\n"
        "- **Par type de partenaire** : les flux et les stocks s'additionnent (barres "
        "empilées), les taux et les notes se moyennent (barres côte à côte).\n"
        "- **Évolution** = indice de la dernière période complète − 100, l'indice valant "
        "100 à la première période et étant corrigé du sens de l'indicateur. Une somme "
        "partielle (période en cours) n'est pas utilisée.\n"
        "- **Valeurs transmises** : nombre de valeurs enregistrées pour le partenaire, "
        "toutes dimensions confondues.",
        "en": "- Values are those each stakeholder reported (the \u201cstakeholder\u201d "
        "column of the data), grouped by period with the indicator's rule (sum, mean or "
        "last value).\n"
        "- **By stakeholder type**: flows and stocks add up (stacked bars), rates and "
        "scores are averaged (side-by-side bars).\n"
        "- **Change** = index of the latest complete period − 100, the index being 100 "
        "at the first period and direction-adjusted. A partial sum (period in progress) "
        "is not used.\n"
        "- **Values reported**: number of values stored for the stakeholder, across all "
        "dimensions.",
    },
    "trust.title": {"fr": "Baromètre de confiance", "en": "Trust barometer"},
    "trust.intro": {
        "fr": "Le **climat de confiance** : la confiance entre partenaires, les quatre "
        "préalables de la co-construction (vision commune, ouverture à la différence, "
        "respect mutuel, valeurs partagées) notés de 1 à 5 par les membres, et "
        "l'engagement des citoyens.",
        "en": "The **climate of trust**: trust between partners, the four prerequisites of "
        "co-construction (shared vision, openness to difference, mutual respect, shared "
        "values) scored from 1 to 5 by members, and citizens' engagement.",
    },
    "trust.gap": {"fr": "Écart entre types de partenaires", "en": "Gap between stakeholder types"},
    "trust.gap_help": {
        "fr": "Un écart important sur un préalable signale un point à travailler ensemble en "
        "comité.",
        "en": "A wide gap on a prerequisite points to something to work on together in committee.",
    },
    "trust.participation": {"fr": "Participation citoyenne", "en": "Citizen participation"},
    "trust.how_text": {
        "fr": "- Chaque partenaire note chaque préalable de 1 (faible) à 5 (fort) ; la note de "
        "l'alliance est la **moyenne des partenaires** (une note déclarée pour "
        "l'alliance entière prime).\n"
        "- Le **radar** compare la dernière période à la précédente.\n"
        "- L'**écart** d'un préalable = note du type de partenaire le plus haut − note du "
        "plus bas, à la dernière période.\n"
        "- La participation suit les règles du tableau de bord : sommes par période, "
        "point creux pour une période en cours.",
        "en": "- Each stakeholder scores each prerequisite from 1 (low) to 5 (high); the "
        "alliance's score is the **stakeholders' mean** (a score reported for the whole "
        "alliance comes first).\n"
        "- The **radar** compares the latest period with the one before.\n"
        "- The **gap** of a prerequisite = score of the highest stakeholder type − score "
        "of the lowest, at the latest period.\n"
        "- Participation follows the dashboard's rules: sums per period, a hollow point "
        "for a period in progress.",
    },
    "nav.portfolio": {"fr": "Portefeuille", "en": "Portfolio"},
    "nav.comparison": {"fr": "Comparer", "en": "Compare"},
    "portfolio.title": {"fr": "Portefeuille d'alliances", "en": "Portfolio of alliances"},
    "portfolio.intro": {
        "fr": "Toutes les alliances que vous suivez, avec leur dernier score par dimension, "
        "leur tendance et la complétude de leurs données. Cliquez sur un en-tête pour "
        "trier.",
        "en": "Every alliance you follow, with its latest score per dimension, its trend and "
        "the completeness of its data. Click a header to sort.",
    },
    "portfolio.theme": {"fr": "Thématique", "en": "Theme"},
    "portfolio.territory": {"fr": "Territoire", "en": "Territory"},
    "portfolio.stage": {"fr": "Étape", "en": "Stage"},
    "portfolio.all": {"fr": "Toutes", "en": "All"},
    "dimension.short.innovation": {"fr": "Innovation", "en": "Innovation"},
    "dimension.short.performance": {"fr": "Performance", "en": "Performance"},
    "dimension.short.trust": {"fr": "Confiance", "en": "Trust"},
    "portfolio.count": {
        "fr": "{shown} alliance(s) affichée(s) sur {total}.",
        "en": "{shown} of {total} alliance(s) shown.",
    },
    "portfolio.col.alliance": {"fr": "Alliance", "en": "Alliance"},
    "portfolio.col.theme": {"fr": "Thématique", "en": "Theme"},
    "portfolio.col.territory": {"fr": "Territoire", "en": "Territory"},
    "portfolio.col.stage": {"fr": "Étape", "en": "Stage"},
    "portfolio.col.completeness": {"fr": "Complétude", "en": "Completeness"},
    "portfolio.col.updated": {"fr": "Mise à jour", "en": "Updated"},
    "portfolio.col.data_until": {"fr": "Données jusqu'à", "en": "Data up to"},
    "portfolio.data_until_help": {
        "fr": "Fin de la dernière période dont l'alliance a des valeurs. « Mise à jour » : "
        "date du dernier import qui lui a apporté des valeurs.",
        "en": "End of the latest period the alliance has values for. “Updated”: when an "
        "upload last brought it values.",
    },
    "portfolio.score_help": {
        "fr": "Dernier score annuel : progression moyenne vers les cibles (0 % = référence, "
        "100 % = cible ; au-delà de 100 % la cible est dépassée, sous 0 % la valeur est en "
        "deçà de la référence).",
        "en": "Latest yearly score: mean progress to targets (0% = baseline, 100% = target; "
        "above 100% the target is exceeded, below 0% the value is worse than the baseline).",
    },
    "portfolio.trend_help": {
        "fr": "▲ en hausse, ▼ en baisse, ► stable (moins d'un point) depuis l'année précédente.",
        "en": "▲ up, ▼ down, ► steady (less than one point) since the year before.",
    },
    "portfolio.completeness_help": {
        "fr": "Part des indicateurs suivis par l'alliance qui ont une valeur complète pour sa "
        "dernière année terminée qui a des valeurs (voir « Données jusqu'à »).",
        "en": "Share of the alliance's indicators with a complete value for its latest "
        "finished year that has values (see “Data up to”).",
    },
    "portfolio.rules": {
        "fr": "**Lecture** : le score d'une dimension est la progression moyenne vers les cibles "
        "de ses indicateurs (0 % = référence, 100 % = cible ; 115 % : cible dépassée, "
        "−20 % : en deçà de la référence), pour la dernière année qui en a un ; la flèche "
        "compare à l'année précédente. La complétude porte sur la dernière année terminée "
        "dont l'alliance a des valeurs : confiance haute à partir de 80 %, moyenne à partir "
        "de 50 %, faible en dessous. « Données jusqu'à » dit jusqu'où vont ses données.",
        "en": "**Reading**: a dimension's score is the mean progress to target of its "
        "indicators (0% = baseline, 100% = target; 115%: target exceeded, −20%: worse than "
        "the baseline), for the latest year that has one; the arrow compares with the year "
        "before. Completeness is about the alliance's latest finished year with values: high "
        "confidence from 80%, medium from 50%, low below. “Data up to” says how far its "
        "data goes.",
    },
    "portfolio.to_compare": {"fr": "Comparer des alliances", "en": "Compare alliances"},
    "comparison.title": {"fr": "Comparer des alliances", "en": "Compare alliances"},
    "comparison.intro": {
        "fr": "Comparez ce qui est comparable : un groupe de pairs (même thématique ou même "
        "niveau de territoire), une normalisation explicite, et la complétude des données "
        "en regard de chaque rang.",
        "en": "Compare like with like: a peer group (same theme or same territory level), an "
        "explicit normalisation, and the completeness of the data beside each rank.",
    },
    "comparison.mode": {"fr": "Alliances comparées", "en": "Alliances compared"},
    "comparison.mode.peers": {"fr": "Un groupe de pairs", "en": "A peer group"},
    "comparison.mode.choose": {"fr": "Mon choix", "en": "My choice"},
    "comparison.by": {"fr": "Pairs", "en": "Peers"},
    "comparison.by.theme": {"fr": "même thématique", "en": "same theme"},
    "comparison.by.territory_level": {
        "fr": "même niveau de territoire",
        "en": "same territory level",
    },
    "comparison.group": {
        "fr": "Pairs ({criterion} : {value}) : {names}.",
        "en": "Peers ({criterion}: {value}): {names}.",
    },
    "comparison.group_count": {
        "fr": "Pairs ({criterion} : {value}) : {count} alliances, toutes dans le tableau plus bas.",
        "en": "Peers ({criterion}: {value}): {count} alliances, all in the table below.",
    },
    "chart.first_ranks": {
        "fr": "les {shown} premières sur {total} (et l'alliance choisie)",
        "en": "the first {shown} of {total} (and the chosen alliance)",
    },
    "comparison.alliances": {"fr": "Alliances", "en": "Alliances"},
    "comparison.none": {
        "fr": "Choisissez au moins deux alliances à comparer.",
        "en": "Choose at least two alliances to compare.",
    },
    "comparison.too_few": {
        "fr": "{name} est seule dans son groupe « {criterion} » ({value}) : il n'y a rien à "
        "comparer. Choisissez l'autre critère, une autre alliance, ou « Mon choix » pour "
        "comparer les alliances de votre choix.",
        "en": "{name} is alone in its group “{criterion}” ({value}): there is nothing to "
        "compare it with. Choose the other criterion, another alliance, or “My choice” to "
        "compare the alliances you pick.",
    },
    "comparison.subject": {"fr": "Comparer", "en": "Compare"},
    "comparison.subject.indicator": {"fr": "un indicateur", "en": "an indicator"},
    "comparison.subject.dimension": {"fr": "une dimension", "en": "a dimension"},
    "comparison.indicator": {"fr": "Indicateur", "en": "Indicator"},
    "comparison.dimension": {"fr": "Dimension", "en": "Dimension"},
    "comparison.normalisation": {"fr": "Normalisation", "en": "Normalisation"},
    "norm.raw": {"fr": "valeur brute", "en": "raw value"},
    "norm.per_1000": {"fr": "pour 1 000 habitants", "en": "per 1,000 inhabitants"},
    "norm.progress": {"fr": "progression vers la cible", "en": "progress to target"},
    "norm.index": {"fr": "indice", "en": "index"},
    "norm.per_euro": {"fr": "pour 1 000 € investis", "en": "per €1,000 invested"},
    "norm_help.raw": {
        "fr": "Valeurs annuelles telles que déclarées : à réserver à des alliances de taille "
        "comparable.",
        "en": "Yearly values as reported: best kept for alliances of a similar size.",
    },
    "norm_help.per_1000": {
        "fr": "Valeur annuelle pour 1 000 habitants du territoire (population de l'alliance). "
        "Sans objet pour les taux et les notes.",
        "en": "Yearly value per 1,000 inhabitants of the territory (the alliance's population). "
        "Not for rates and scores.",
    },
    "norm_help.progress": {
        "fr": "(valeur − référence) / (cible − référence), en % : chaque alliance face à ses "
        "propres objectifs.",
        "en": "(value − baseline) / (target − baseline), in %: each alliance against its own "
        "targets.",
    },
    "norm_help.index": {
        "fr": "100 à la première année où toutes les alliances comparées ont une valeur, "
        "corrigé du sens de l'indicateur : compare des trajectoires, pas des niveaux.",
        "en": "100 on the first year every compared alliance has a value, direction-adjusted: "
        "compares trajectories, not levels.",
    },
    "norm_help.per_euro": {
        "fr": "Valeur annuelle pour 1 000 € de financements obtenus la même année (indicateur "
        "« Financements obtenus »).",
        "en": "Yearly value per €1,000 of funding secured the same year (the \u201cFunding "
        "secured\u201d indicator).",
    },
    "norm_help.dimension": {
        "fr": "Score de la dimension : progression moyenne vers les cibles de ses indicateurs, "
        "en %.",
        "en": "Dimension score: mean progress to targets of its indicators, in %.",
    },
    "axis.raw": {"fr": "{unit}", "en": "{unit}"},
    "axis.per_1000": {"fr": "{unit} pour 1 000 habitants", "en": "{unit} per 1,000 inhabitants"},
    "axis.progress": {"fr": "% du chemin vers la cible", "en": "% of the way to the target"},
    "axis.index": {"fr": "indice (base 100)", "en": "index (base 100)"},
    "axis.per_euro": {"fr": "{unit} pour 1 000 €", "en": "{unit} per €1,000"},
    "comparison.series_title": {"fr": "{subject} : évolution", "en": "{subject}: over time"},
    "comparison.nothing_to_rank": {
        "fr": "Aucune valeur comparable : changez de normalisation ou d'alliances.",
        "en": "No comparable value: change the normalisation or the alliances.",
    },
    "comparison.ranking": {"fr": "Classement", "en": "Ranking"},
    "comparison.year": {"fr": "Année du classement", "en": "Year ranked"},
    "comparison.ranking_title": {
        "fr": "{subject} : classement {year}",
        "en": "{subject}: {year} ranking",
    },
    "comparison.not_ranked": {"fr": "**Non classées**", "en": "**Not ranked**"},
    "comparison.all_ranked": {
        "fr": "Toutes les alliances sont classées.",
        "en": "Every alliance is ranked.",
    },
    "comparison.distribution_title": {
        "fr": "Distribution des pairs en {year}",
        "en": "Peer distribution in {year}",
    },
    "comparison.scatter": {
        "fr": "Deux dimensions côte à côte",
        "en": "Two dimensions side by side",
    },
    "comparison.x": {"fr": "Axe horizontal", "en": "Horizontal axis"},
    "comparison.y": {"fr": "Axe vertical", "en": "Vertical axis"},
    "comparison.table": {"fr": "Tableau du classement", "en": "Ranking table"},
    "comparison.col.rank": {"fr": "Rang", "en": "Rank"},
    "comparison.col.value": {"fr": "Valeur ({what})", "en": "Value ({what})"},
    "comparison.col.raw": {"fr": "Valeur brute", "en": "Raw value"},
    "comparison.col.badge": {"fr": "Confiance", "en": "Confidence"},
    "comparison.col.reason": {"fr": "Raison", "en": "Reason"},
    "comparison.file": {"fr": "comparaison_{year}", "en": "comparison_{year}"},
    "comparison.csv": {"fr": "Télécharger en CSV", "en": "Download as CSV"},
    "comparison.xlsx": {"fr": "Télécharger en XLSX", "en": "Download as XLSX"},
    "comparison.rules": {"fr": "Règles de comparaison", "en": "Comparison rules"},
    "comparison.rules_text": {
        "fr": "- **Normalisations** : valeur brute ; pour 1 000 habitants (flux et stocks "
        "seulement) ; progression vers la cible propre à chaque alliance ; indice (100 à "
        "la première année commune) ; pour 1 000 € de financements obtenus la même "
        "année.\n"
        "- **Non classée** : une alliance sans valeur comparable l'année choisie (valeur "
        "manquante ou partielle, population, cible ou financement manquant), ou dont les "
        "données de l'année sont complètes à moins de 50 %. La raison est affichée.\n"
        "- **Sens** : plus haut est mieux, sauf en valeur brute, par habitant ou par euro "
        "pour un indicateur à faire baisser (le chômage).\n"
        "- **Égalités** : des valeurs égales partagent le même rang (1, 2, 2, 4) ; elles "
        "sont listées par complétude décroissante, puis par nom.\n"
        "- **Confiance** : complétude de l'année — haute à partir de 80 %, moyenne à "
        "partir de 50 %.",
        "en": "- **Normalisations**: raw value; per 1,000 inhabitants (flows and stocks only); "
        "progress to each alliance's own target; index (100 on the first common year); "
        "per €1,000 of funding secured the same year.\n"
        "- **Not ranked**: an alliance with no comparable value in the chosen year "
        "(value missing or partial; population, target or funding missing), or whose "
        "data for the year is less than 50% complete. The reason is shown.\n"
        "- **Direction**: higher is better, except raw, per-inhabitant and per-euro "
        "values of an indicator to bring down (unemployment).\n"
        "- **Ties**: equal values share a rank (1, 2, 2, 4); they are listed by "
        "completeness, highest first, then by name.\n"
        "- **Confidence**: the year's completeness — high from 80%, medium from 50%.",
    },
    "reason.no_value": {"fr": "pas de valeur cette année", "en": "no value that year"},
    "reason.partial": {
        "fr": "valeur partielle (période incomplète)",
        "en": "partial value (period not complete)",
    },
    "reason.no_population": {"fr": "population inconnue", "en": "population unknown"},
    "reason.rate": {
        "fr": "un taux ne se rapporte pas aux habitants",
        "en": "a rate is not per inhabitant",
    },
    "reason.no_target": {
        "fr": "pas de cible pour cet indicateur",
        "en": "no target for this indicator",
    },
    "reason.no_funding": {
        "fr": "pas de financement déclaré cette année",
        "en": "no funding reported that year",
    },
    "reason.no_common_year": {
        "fr": "avant la première année commune",
        "en": "before the first common year",
    },
    "reason.low_completeness": {
        "fr": "données de l'année complètes à moins de 50 %",
        "en": "data for the year less than 50% complete",
    },
    "level.commune": {"fr": "commune", "en": "commune"},
    "level.epci": {"fr": "intercommunalité (EPCI)", "en": "inter-municipality (EPCI)"},
    "level.departement": {"fr": "département", "en": "département"},
    "level.region": {"fr": "région", "en": "région"},
    "level.unknown": {"fr": "niveau inconnu", "en": "unknown level"},
    "nav.scaling": {"fr": "Changement d'échelle", "en": "Scaling"},
    "nav.contracts": {"fr": "Contrats à impact", "en": "Outcome contracts"},
    "scaling.title": {"fr": "Changement d'échelle", "en": "Scaling"},
    "scaling.intro": {
        "fr": "Comment l'alliance démultiplie son impact : approfondissement, diversification, "
        "duplication sur d'autres territoires, mise à disposition de son savoir-faire ; "
        "et où elle en est des facteurs clés de succès.",
        "en": "How the alliance multiplies its impact: scaling deep, out, up to other "
        "territories, and across by making its know-how available; and where it stands "
        "on the success factors.",
    },
    "scaling.active_sites": {"fr": "Sites actifs", "en": "Active sites"},
    "scaling.planned_sites": {"fr": "Sites prévus", "en": "Planned sites"},
    "scaling.territories": {"fr": "Territoires touchés", "en": "Territories reached"},
    "scaling.reach": {"fr": "Bénéficiaires (sites actifs)", "en": "Beneficiaries (active sites)"},
    "scaling.not_on_map": {
        "fr": "Sans coordonnées, donc absents de la carte : {names}.",
        "en": "Without coordinates, so not on the map: {names}.",
    },
    "scaling.few_peers": {
        "fr": "Médiane des pairs non affichée : {count} autre(s) alliance(s) de même "
        "thématique, il en faut au moins {minimum} pour qu'aucune ne soit reconnaissable.",
        "en": "Peer median not shown: {count} other alliance(s) with the same theme, at least "
        "{minimum} are needed so that none can be recognised.",
    },
    "scaling.no_peers": {
        "fr": "Aucune autre alliance de même thématique : pas de médiane des pairs.",
        "en": "No other alliance with the same theme: no peer median.",
    },
    "scaling.sites": {"fr": "Les sites", "en": "The sites"},
    "scaling.col.mode": {"fr": "Modalité", "en": "Mode"},
    "scaling.col.territory": {"fr": "Territoire", "en": "Territory"},
    "scaling.col.started": {"fr": "Début", "en": "Started"},
    "scaling.col.status": {"fr": "Statut", "en": "Status"},
    "scaling.col.beneficiaries": {"fr": "Bénéficiaires", "en": "Beneficiaries"},
    "scaling.col.note": {"fr": "Note", "en": "Note"},
    "scaling.mode_help.deep": {
        "fr": "faire mieux ce que l'on fait déjà, pour mieux répondre aux besoins",
        "en": "do better what one already does, to meet needs better",
    },
    "scaling.mode_help.out": {
        "fr": "faire autre chose : de nouveaux produits ou services",
        "en": "do something else: new products or services",
    },
    "scaling.mode_help.up": {
        "fr": "faire plus : diffuser le modèle sur d'autres territoires",
        "en": "do more: replicate the model in other territories",
    },
    "scaling.mode_help.across": {
        "fr": "faire faire : mettre son savoir-faire à disposition d'autres acteurs",
        "en": "have others do it: make one's know-how available to others",
    },
    "scaling.how_text": {
        "fr": "- **Sites par année** : un site compte à partir de son année de début ; les sites "
        "arrêtés et prévus sont plus clairs.\n"
        "- **Facteurs clés** : stratégie de développement partagée, mesure des résultats "
        "et de l'impact collectif, ressources humaines et financières, écosystème "
        "favorable sur les territoires d'origine et cible, notés de 1 à 5. Le radar "
        "compare la dernière année à la première, et à la médiane des dernières notes "
        "des alliances de même thématique.\n"
        "- **Carte** : contour de la France métropolitaine (Natural Earth) fourni avec "
        "l'application, sans serveur de cartes ; un site sans latitude ni longitude "
        "n'y figure pas.",
        "en": "- **Sites per year**: a site counts from its start year; stopped and planned "
        "sites are lighter.\n"
        "- **Success factors**: shared development strategy, measurement of results and "
        "collective impact, human and financial resources, supportive ecosystem in the "
        "origin and target territories, scored 1 to 5. The radar compares the latest "
        "year with the first, and with the median of the latest scores of alliances "
        "with the same theme.\n"
        "- **Map**: outline of metropolitan France (Natural Earth) shipped with the app, "
        "no map server; a site without latitude and longitude is not shown.",
    },
    "contracts.title": {"fr": "Contrats à impact", "en": "Outcome contracts"},
    "contracts.intro": {
        "fr": "Les **titres à impact social** : un commanditaire fixe des objectifs de "
        "résultat, des investisseurs financent le service, et le commanditaire les "
        "rembourse sur les économies réalisées si les résultats mesurés dépassent les "
        "seuils du contrat.",
        "en": "**Social impact bonds**: a commissioner sets outcome targets, investors fund the "
        "service, and the commissioner pays them back from the savings if the measured "
        "outcomes pass the contract's thresholds.",
    },
    "contracts.none": {
        "fr": "Aucun contrat à impact : ajoutez une feuille « contrats_impact » à un import.",
        "en": "No outcome contract: add an \u201coutcome_contracts\u201d sheet to an import.",
    },
    "contracts.contract": {"fr": "Contrat", "en": "Contract"},
    "contracts.terms": {"fr": "Les termes du contrat", "en": "The contract's terms"},
    "contracts.term": {"fr": "Terme", "en": "Term"},
    "contracts.value": {"fr": "Valeur", "en": "Value"},
    "contracts.t.alliance": {"fr": "Alliance", "en": "Alliance"},
    "contracts.t.indicator": {"fr": "Indicateur de résultat", "en": "Outcome indicator"},
    "contracts.t.commissioner": {"fr": "Commanditaire", "en": "Commissioner"},
    "contracts.t.investors": {"fr": "Investisseurs", "en": "Investors"},
    "contracts.t.capital": {"fr": "Capital investi", "en": "Capital invested"},
    "contracts.t.period": {"fr": "Durée", "en": "Term"},
    "contracts.t.cohort_size": {"fr": "Personnes par cohorte", "en": "People per cohort"},
    "contracts.illustrative": {"fr": "illustratif", "en": "illustrative"},
    "contracts.illustrative_help": {
        "fr": "« Illustratif » : un chiffre que le contrat n'a pas publié, posé pour montrer le "
        "mécanisme ; le règlement qui en découle n'est pas celui qui a été payé.",
        "en": '"Illustrative": a figure the contract did not publish, set to show the '
        "mechanism; the settlement that follows from it is not what was paid.",
    },
    "contracts.t.population": {
        "fr": "Personnes mesurées au total",
        "en": "People measured overall",
    },
    "contracts.population_default": {
        "fr": "non déclaré : taille de cohorte × cohortes mesurées",
        "en": "not declared: cohort size × cohorts measured",
    },
    "contracts.t.baseline": {"fr": "Groupe de comparaison", "en": "Comparison group"},
    "contracts.t.thresholds": {"fr": "Seuils", "en": "Thresholds"},
    "contracts.t.price": {"fr": "Prix par unité de résultat", "en": "Price per unit of outcome"},
    "contracts.t.caps": {"fr": "Plafonds", "en": "Caps"},
    "contracts.t.saving": {
        "fr": "Économie estimée par unité",
        "en": "Estimated saving per unit",
    },
    "contracts.years": {"fr": "ans", "en": "years"},
    "contracts.per": {"fr": "pour {per} personnes", "en": "per {per} people"},
    "contracts.threshold_values": {
        "fr": "{cohort} % par cohorte, {overall} % sur l'ensemble",
        "en": "{cohort}% per cohort, {overall}% overall",
    },
    "contracts.cap_values": {
        "fr": "paiements {payments} ; rendement {returns} % par an",
        "en": "payments {payments}; return {returns}% a year",
    },
    "contracts.settlement": {"fr": "Où en est le contrat", "en": "Where the contract stands"},
    "contracts.status.no_result": {
        "fr": "Aucun résultat mesuré : rien n'est dû pour l'instant.",
        "en": "No result measured: nothing is due yet.",
    },
    "contracts.status.in_progress": {
        "fr": "En cours : seules les cohortes qui ont passé leur seuil sont payées ; le "
        "résultat d'ensemble n'est pas encore mesuré.",
        "en": "In progress: only cohorts past their threshold are paid; the overall result "
        "is not measured yet.",
    },
    "contracts.status.settled": {
        "fr": "Soldé sur le résultat d'ensemble.",
        "en": "Settled on the overall result.",
    },
    "contracts.overall": {"fr": "Amélioration d'ensemble", "en": "Overall improvement"},
    "contracts.overall_help": {
        "fr": "(référence − valeur mesurée) / référence, pour un résultat à faire baisser.",
        "en": "(baseline − measured value) / baseline, for an outcome to bring down.",
    },
    "contracts.payments": {"fr": "Paiements au résultat", "en": "Outcome payments"},
    "contracts.return": {"fr": "Rendement annuel", "en": "Annual return"},
    "contracts.return_help": {
        "fr": "(paiements / capital)^(1 / années) − 1, plafonné par le contrat.",
        "en": "(payments / capital)^(1 / years) − 1, capped by the contract.",
    },
    "contracts.net_saving": {
        "fr": "Économie nette du commanditaire",
        "en": "Commissioner's net saving",
    },
    "contracts.capped.payments": {
        "fr": "Les paiements atteignent le plafond du contrat.",
        "en": "Payments reach the contract's cap.",
    },
    "contracts.capped.return": {
        "fr": "Les paiements sont réduits pour que le rendement ne dépasse pas son plafond.",
        "en": "Payments are reduced so that the return does not exceed its cap.",
    },
    "contracts.rate_card": {
        "fr": "Grille tarifaire et paiements au résultat",
        "en": "Rate card and outcome payments",
    },
    "contracts.col.outcome": {"fr": "Résultat", "en": "Outcome"},
    "contracts.col.basis": {"fr": "Base", "en": "Basis"},
    "contracts.col.threshold": {"fr": "Seuil", "en": "Threshold"},
    "contracts.col.price": {"fr": "Prix unitaire", "en": "Price per unit"},
    "contracts.col.max_units": {"fr": "Unités au plus", "en": "Units at most"},
    "contracts.col.max_amount": {"fr": "Montant au plus", "en": "Amount at most"},
    "contracts.col.payer": {"fr": "Payeur", "en": "Payer"},
    "contracts.col.due": {"fr": "Dû", "en": "Due"},
    "contracts.col.paid": {"fr": "Payé", "en": "Paid"},
    "contracts.col.difference": {"fr": "Écart (payé − dû)", "en": "Difference (paid − due)"},
    "contracts.col.investor": {"fr": "Investisseur", "en": "Investor"},
    "contracts.col.tranche": {"fr": "Rang", "en": "Tranche"},
    "contracts.col.type": {"fr": "Type", "en": "Type"},
    "contracts.col.put_in": {"fr": "Apporté", "en": "Put in"},
    "contracts.col.came_back": {"fr": "Revenu", "en": "Came back"},
    "contracts.col.net": {"fr": "Solde", "en": "Net"},
    "contracts.col.irr": {"fr": "TRI (taux de rendement interne)", "en": "IRR"},
    "contracts.due": {"fr": "Dû au résultat", "en": "Due for outcomes"},
    "contracts.due_help": {
        "fr": "Selon la grille tarifaire et les valeurs de l'alliance, après les plafonds.",
        "en": "From the rate card and the alliance's values, after the caps.",
    },
    "contracts.paid": {"fr": "Payé au résultat", "en": "Paid for outcomes"},
    "contracts.balance": {"fr": "Écart (payé − dû)", "en": "Difference (paid − due)"},
    "contracts.capped_rows": {
        "fr": "{count} paiement(s) réduit(s) par un plafond (d'un résultat ou du contrat).",
        "en": "{count} payment(s) reduced by a cap (an outcome's or the contract's).",
    },
    "contracts.other_payments": {
        "fr": "Hors résultats : {count} paiement(s) d'une autre nature, {amount}, tenus à part "
        "(ils ne rémunèrent aucun résultat).",
        "en": "Apart from outcomes: {count} payment(s) of another nature, {amount}, kept apart "
        "(they pay for no outcome).",
    },
    "contracts.investors": {
        "fr": "Investisseurs : apports, remboursements et rendement",
        "en": "Investors: money in, money back and return",
    },
    "contracts.no_investments": {
        "fr": "Aucun investissement déclaré (feuille « investissements »).",
        "en": "No investment declared (\u201cinvestments\u201d sheet).",
    },
    "contracts.waterfall_help": {
        "fr": "Chaque paiement au résultat revient d'abord au rang senior, jusqu'à son capital "
        "et son rendement plafonné, puis au rang subordonné ; dans un rang, au prorata du "
        "capital tiré. À la fin du contrat, une garantie couvre la perte du rang senior, "
        "jusqu'à son montant. TRI : sur les flux datés (tirages, remboursements), jours réels "
        "sur 365.",
        "en": "Each outcome payment goes to the senior tranche first, up to its capital and "
        "capped return, then to the subordinate tranche; within a tranche, pro rata to "
        "capital drawn. At the contract's end, a guarantee covers the senior tranche's loss, "
        "up to its amount. IRR: on the dated flows (draws, payments back), actual days over "
        "365.",
    },
    "contracts.what_if_share": {
        "fr": "Part des résultats obtenus (100 % : ce qui a été obtenu)",
        "en": "Share of the outcomes achieved (100%: what was achieved)",
    },
    "contracts.irr_senior": {"fr": "TRI du rang senior", "en": "Senior tranche's IRR"},
    "contracts.irr_investors": {"fr": "TRI des investisseurs", "en": "Investors' IRR"},
    "contracts.irr_investors_help": {
        "fr": "Taux de rendement interne de tout le capital apporté, à ses dates (feuille "
        "« investissements »), et de ce qui est revenu aux investisseurs par les rangs, à ses "
        "dates : les paiements au résultat du registre, sinon ceux dus (chaque cohorte à la fin "
        "de la période de son résultat, le paiement global à la fin du contrat). Jours réels "
        "sur 365 ; les garanties à part.",
        "en": "Internal rate of return of all the capital put in, on its dates (“investments” "
        "sheet), and of what came back to the investors through the tranches, on its dates: the "
        "outcome payments of the ledger, else those due (each cohort at the end of the period of "
        "its result, the overall payment at the contract's end). Actual days over 365; "
        "guarantees apart.",
    },
    "contracts.due_and_paid": {
        "fr": "Dû et payé, par payeur",
        "en": "Due and paid, by payer",
    },
    "contracts.overall_outcome": {"fr": "résultat global", "en": "overall result"},
    "contracts.unassigned.outcome": {
        "fr": "paiements sans résultat désigné",
        "en": "payments naming no outcome",
    },
    "contracts.unassigned.payer": {"fr": "sans payeur désigné", "en": "no payer named"},
    "contracts.investments_illustrative": {
        "fr": "Investissements illustratifs : leurs dates et montants tirés n'ont pas été publiés.",
        "en": "Illustrative investments: their dates and amounts drawn were not published.",
    },
    "contracts.irr_subordinate": {
        "fr": "TRI du rang subordonné",
        "en": "Subordinate tranche's IRR",
    },
    "contracts.what_if_rate_help": {
        "fr": "Chaque résultat obtenu (unités et améliorations) multiplié par cette part, payé "
        "à son échéance, à travers les mêmes plafonds, paliers et rangs ; « — » : rien n'est "
        "revenu à ce rang.",
        "en": "Every outcome achieved (units and improvements) multiplied by this share, paid "
        'when due, through the same caps, tiers and tranches; "—": nothing came back to '
        "that tranche.",
    },
    "contracts.rate_card_how": {
        "fr": "- **Dû** : par période et par résultat, en base *nombre*, chaque résultat obtenu "
        "(la valeur de l'indicateur) × son prix ; en base *amélioration*, les points "
        "d'amélioration sur le groupe de comparaison × les personnes mesurées / « pour », au "
        "prix du palier le plus haut dont le seuil est atteint. Puis les plafonds : unités et "
        "montant du résultat sur tout le contrat, puis le plafond du contrat.\n"
        "- **Payeurs** : chaque montant dû est partagé selon les parts données, sinon au "
        "prorata des engagements ; ce qui dépasserait l'engagement d'un payeur reste non "
        "financé.\n"
        "- **Payé** : les paiements au résultat du registre (feuille « paiements ») ; ceux "
        "d'une autre nature sont tenus à part.\n"
        "- **Investisseurs** : voir la note sous le graphique ; sans registre, les montants "
        "dus tiennent lieu de paiements.",
        "en": "- **Due**: per period and outcome, on a *count* basis, each outcome achieved "
        "(the indicator's value) × its price; on an *improvement* basis, the points of "
        'improvement over the comparison group × the people measured / "per", at the price '
        "of the highest tier whose threshold is reached. Then the caps: the outcome's units "
        "and amount over the contract, then the contract's cap.\n"
        "- **Payers**: each amount due is shared by the shares given, else pro rata to "
        "commitments; what would take a payer past its commitment stays unfunded.\n"
        '- **Paid**: the outcome payments of the ledger ("outcome_payments" sheet); those '
        "of another nature are kept apart.\n"
        "- **Investors**: see the note under the chart; without a ledger, the amounts due "
        "stand for the payments.",
    },
    "contracts.col.cohort": {"fr": "Cohorte", "en": "Cohort"},
    "contracts.col.value": {"fr": "Valeur mesurée", "en": "Measured value"},
    "contracts.col.improvement": {"fr": "Amélioration", "en": "Improvement"},
    "contracts.col.met": {"fr": "Seuil atteint", "en": "Threshold met"},
    "contracts.col.units": {"fr": "Unités de résultat", "en": "Units of outcome"},
    "contracts.col.payment": {"fr": "Paiement", "en": "Payment"},
    "contracts.yes": {"fr": "oui", "en": "yes"},
    "contracts.no": {"fr": "non", "en": "no"},
    "contracts.what_if": {"fr": "Et si… ?", "en": "What if…?"},
    "contracts.what_if_slider": {
        "fr": "Amélioration d'ensemble obtenue",
        "en": "Overall improvement achieved",
    },
    "contracts.threshold_met": {"fr": "Seuil global atteint", "en": "Overall threshold met"},
    "contracts.how_text": {
        "fr": "- **Amélioration** = (référence du groupe de comparaison − valeur mesurée) / "
        "référence, pour un résultat à faire baisser (la récidive) ; l'inverse pour un "
        "résultat à faire monter. Un seuil est atteint dès qu'on l'égale.\n"
        "- **Unités de résultat** = amélioration en points × personnes / base de "
        "l'indicateur (100) : pour la récidive, les condamnations évitées.\n"
        "- **Paiements** : prix × unités pour chaque cohorte qui passe son seuil ; à la "
        "fin, si le résultat d'ensemble passe le seuil global, prix × unités d'ensemble, "
        "moins ce qui a déjà été payé ; puis plafond des paiements, et plafond du "
        "rendement annuel.\n"
        "- **Rendement** = (paiements / capital)^(1 / années) − 1 : tout le capital au "
        "début, un paiement à la fin. Quand le contrat a des lignes « investissements », "
        "**TRI des investisseurs** : le taux de rendement interne du capital tiré, à ses "
        "dates, et de chaque paiement quand il est dû (celui d'une cohorte à la fin de la "
        "période de son résultat, le paiement global à la fin du contrat ; un plafond réduit "
        "d'abord le dernier), par les rangs senior puis subordonné. **Économie nette** = "
        "unités payées × économie par unité − paiements.\n"
        "- Avec des lignes « payeurs » et « paiements » : le dû partagé entre les payeurs, "
        "face au payé du registre, par payeur et par résultat.\n"
        "- Les résultats sont les données de l'indicateur : une valeur par cohorte "
        "(partenaire de type « cohorte ») et une valeur d'ensemble (sans partenaire).",
        "en": "- **Improvement** = (comparison group's baseline − measured value) / baseline, "
        "for an outcome to bring down (reoffending); the reverse for one to raise. A "
        "threshold is met as soon as it is reached.\n"
        "- **Units of outcome** = improvement in points × people / the indicator's base "
        "(100): for reoffending, reconvictions avoided.\n"
        "- **Payments**: price × units for each cohort past its threshold; at the end, "
        "if the overall result passes the overall threshold, price × overall units, less "
        "what was already paid; then the payment cap, and the annual return cap.\n"
        "- **Return** = (payments / capital)^(1 / years) − 1: all the capital at the start, "
        "one payment at the end. When the contract has \u201cinvestments\u201d rows, the "
        "**investors' IRR**: the internal rate of return of the capital drawn, on its dates, "
        "and of each payment when it is due (a cohort's at the end of the period of its "
        "result, the overall payment at the contract's end; a cap cuts the last one first), "
        "through the senior then the subordinate tranche. **Net saving** = units paid for × "
        "saving per unit − payments.\n"
        "- With \u201cpayers\u201d and \u201cpayments\u201d rows: what is due shared between "
        "the payers, against what the ledger says was paid, per payer and per outcome.\n"
        "- Results are the indicator's data: one value per cohort (a stakeholder of type "
        "\u201ccohort\u201d) and one overall value (no stakeholder).",
    },
    # Charts.
    "chart.no_scores": {
        "fr": "Aucun score : il faut des objectifs et des valeurs sur la période choisie.",
        "en": "No score: targets and values are needed over the chosen period.",
    },
    "chart.no_scores_granularity": {
        "fr": "Aucun score à ce pas de temps : les cibles sont annuelles et les sommes ne s'y "
        "comparent qu'en vue annuelle. Choisissez « Année ».",
        "en": "No score at this time step: targets are yearly and sums compare with them in "
        "the yearly view only. Choose \u201cYear\u201d.",
    },
    "chart.others": {
        "fr": "les {count} autres alliances",
        "en": "the {count} other alliances",
    },
    "chart.thinned": {
        "fr": "{shown} points tracés sur {total} (un sur plusieurs, à intervalles réguliers)",
        "en": "{shown} of {total} points drawn (one in several, at even intervals)",
    },
    "chart.no_values": {
        "fr": "Aucune valeur sur la période choisie.",
        "en": "No value over the chosen period.",
    },
    "chart.target": {"fr": "cible", "en": "target"},
    "chart.baseline": {"fr": "référence", "en": "baseline"},
    "chart.score_axis": {"fr": "Chemin parcouru vers la cible", "en": "Way to the target"},
    "chart.scores_title": {
        "fr": "Score par dimension : progression moyenne vers les cibles",
        "en": "Score by dimension: mean progress to targets",
    },
    "chart.score_hover": {
        "fr": "<b>{dimension}</b><br>{period} : {score} % du chemin vers la cible<br>"
        "{n} indicateur(s) sur {total}",
        "en": "<b>{dimension}</b><br>{period}: {score}% of the way to the target<br>"
        "{n} of {total} indicator(s)",
    },
    "chart.progress_hover": {
        "fr": "{progress} % du chemin vers la cible",
        "en": "{progress}% of the way to the target",
    },
    "chart.index_hover": {
        "fr": "indice {index} (première période = 100)",
        "en": "index {index} (first period = 100)",
    },
    "chart.partial_hover": {
        "fr": "<br><i>période incomplète : somme partielle</i>",
        "en": "<br><i>period not complete: partial sum</i>",
    },
    "chart.due_title.outcome": {
        "fr": "Paiements au résultat dus par période et par résultat, et payés à date",
        "en": "Outcome payments due per period and outcome, and paid to date",
    },
    "chart.due_title.payer": {
        "fr": "Paiements au résultat dus par période et par payeur, et payés à date",
        "en": "Outcome payments due per period and payer, and paid to date",
    },
    "contracts.due_by": {"fr": "Dû par", "en": "Due by"},
    "contracts.by.outcome": {"fr": "résultat", "en": "outcome"},
    "contracts.by.payer": {"fr": "payeur", "en": "payer"},
    "chart.rate_sensitivity_title": {
        "fr": "Paiements et rendement des investisseurs selon la part des résultats obtenus",
        "en": "Payments and investors' return against the share of the outcomes achieved",
    },
    "chart.outcome_payments": {"fr": "paiements au résultat", "en": "outcome payments"},
    "chart.irr.senior": {"fr": "TRI du rang senior", "en": "senior tranche's IRR"},
    "chart.irr.subordinate": {"fr": "TRI du rang subordonné", "en": "subordinate tranche's IRR"},
    "chart.irr_axis": {"fr": "TRI", "en": "IRR"},
    "chart.as_achieved": {"fr": "obtenu", "en": "achieved"},
    "chart.share_achieved": {
        "fr": "Part des résultats obtenus",
        "en": "Share of the outcomes achieved",
    },
    "chart.tranches_title": {
        "fr": "Par rang : le capital tiré, revenu, couvert par la garantie ou perdu",
        "en": "By tranche: the capital drawn, come back, covered by the guarantee or lost",
    },
    "chart.tranche.senior": {"fr": "rang senior", "en": "senior tranche"},
    "chart.tranche.subordinate": {"fr": "rang subordonné", "en": "subordinate tranche"},
    "chart.tranche_part.back": {"fr": "revenu des paiements", "en": "back from payments"},
    "chart.tranche_part.covered": {
        "fr": "couvert par la garantie",
        "en": "covered by the guarantee",
    },
    "chart.tranche_part.lost": {"fr": "perdu", "en": "lost"},
    "chart.nothing_due": {
        "fr": "Rien n'est dû : aucun résultat n'atteint la grille tarifaire (seuils, période du "
        "contrat).",
        "en": "Nothing is due: no outcome reaches the rate card (thresholds, the contract's term).",
    },
    "chart.due_to_date": {"fr": "dû à date", "en": "due to date"},
    "chart.paid_to_date": {"fr": "payé à date", "en": "paid to date"},
    "chart.to_date": {"fr": "À date ({currency})", "en": "To date ({currency})"},
    "chart.amount": {"fr": "Montant ({currency})", "en": "Amount ({currency})"},
    "chart.investors_title": {
        "fr": "Ce que chaque investisseur a apporté et ce qui lui est revenu",
        "en": "What each investor put in and what came back",
    },
    "chart.put_in": {"fr": "apporté", "en": "put in"},
    "chart.came_back": {"fr": "revenu", "en": "came back"},
    "chart.grid_title": {
        "fr": "Indicateurs : valeurs, référence et cible",
        "en": "Indicators: values, baseline and target",
    },
    "chart.grid_subtitle": {
        "fr": "Référence : pointillés gris ; cible : tirets verts ; point creux : période pas "
        "finie ou incomplète ; ★ : note du comité",
        "en": "Baseline: grey dots; target: green dashes; hollow point: period not over or "
        "incomplete; ★: committee's note",
    },
    "chart.completeness_title": {
        "fr": "Complétude des données par année",
        "en": "Data completeness by year",
    },
    "chart.by_stakeholder": {
        "fr": "{indicator} par partenaire",
        "en": "{indicator} by stakeholder",
    },
    "chart.by_type": {
        "fr": "{indicator} par type de partenaire",
        "en": "{indicator} by stakeholder type",
    },
    "chart.change_title": {
        "fr": "Évolution de chaque partenaire depuis sa première période (dans le bon sens : vert)",
        "en": "Each stakeholder's change since its first period (the good way: green)",
    },
    "chart.change_axis": {"fr": "Évolution", "en": "Change"},
    "chart.reporting_title": {
        "fr": "Valeurs transmises par partenaire et par année",
        "en": "Values reported by stakeholder and year",
    },
    "chart.prerequisites_title": {
        "fr": "Les quatre préalables (moyenne des partenaires)",
        "en": "The four prerequisites (partners' mean)",
    },
    "chart.score_1_5": {"fr": "Note de 1 à 5", "en": "Score from 1 to 5"},
    "chart.radar_title": {
        "fr": "Dernière période et précédente",
        "en": "Latest period and the one before",
    },
    "chart.gap_title": {
        "fr": "Écart entre types de partenaires",
        "en": "Gap between stakeholder types",
    },
    "chart.gap_title_period": {
        "fr": "Écart entre types de partenaires ({period})",
        "en": "Gap between stakeholder types ({period})",
    },
    "chart.gap": {"fr": "écart {gap}", "en": "gap {gap}"},
    "chart.participation_title": {
        "fr": "Participation citoyenne : forums, financement participatif, bénévolat",
        "en": "Citizen participation: forums, crowdfunding, volunteering",
    },
    "chart.no_ranking": {
        "fr": "Aucune alliance classée pour cette année : voir la liste des non classées.",
        "en": "No alliance ranked for this year: see the list of those not ranked.",
    },
    "chart.rank_hover": {
        "fr": "<b>{name}</b><br>rang {rank} : {value}<br>données complètes à {completeness} % "
        "(confiance {badge})",
        "en": "<b>{name}</b><br>rank {rank}: {value}<br>data {completeness}% complete "
        "({badge} confidence)",
    },
    "chart.scatter_title": {
        "fr": "{x} et {y} : dernier score de chaque alliance",
        "en": "{x} and {y}: each alliance's latest score",
    },
    "badge.short.high": {"fr": "haute", "en": "high"},
    "badge.short.medium": {"fr": "moyenne", "en": "medium"},
    "badge.short.low": {"fr": "faible", "en": "low"},
    "badge.high": {"fr": "confiance haute", "en": "high"},
    "badge.medium": {"fr": "confiance moyenne", "en": "medium"},
    "badge.low": {"fr": "confiance faible", "en": "low"},
    "chart.replications_title": {
        "fr": "Sites par modalité<br>en fin d'année",
        "en": "Sites by mode<br>at the end of each year",
    },
    "chart.no_sites": {
        "fr": "Aucun site d'essaimage déclaré.",
        "en": "No replication site reported.",
    },
    "chart.sites": {"fr": "Sites", "en": "Sites"},
    "site.active": {"fr": "actif", "en": "active"},
    "site.stopped": {"fr": "arrêté", "en": "stopped"},
    "site.planned": {"fr": "prévu", "en": "planned"},
    "chart.map_title": {
        "fr": "Territoire d'origine et sites d'essaimage",
        "en": "Home territory and replication sites",
    },
    "chart.origin": {"fr": "origine", "en": "origin"},
    "chart.beneficiaries": {"fr": "bénéficiaires", "en": "beneficiaries"},
    "chart.readiness_title": {
        "fr": "Facteurs clés du changement d'échelle (1 à 5)",
        "en": "Scaling success factors (1 to 5)",
    },
    "chart.peer_median": {
        "fr": "médiane de {count} alliance(s) de même thématique",
        "en": "median of {count} alliance(s) with the same theme",
    },
    "chart.reach_title": {
        "fr": "Portée par territoire (bénéficiaires)",
        "en": "Reach by territory (beneficiaries)",
    },
    "chart.contract_results_title": {
        "fr": "Amélioration mesurée face au groupe de comparaison",
        "en": "Improvement measured against the comparison group",
    },
    "chart.no_results": {
        "fr": "Aucun résultat mesuré pour l'instant.",
        "en": "No result measured yet.",
    },
    "chart.overall": {"fr": "ensemble des cohortes", "en": "all cohorts"},
    "chart.cohort_threshold": {
        "fr": "seuil par cohorte {value} %",
        "en": "cohort threshold {value}%",
    },
    "chart.overall_threshold": {"fr": "seuil global {value} %", "en": "overall threshold {value}%"},
    "chart.improvement_axis": {"fr": "Amélioration", "en": "Improvement"},
    "chart.sensitivity_title": {
        "fr": "Paiements et rendement selon l'amélioration obtenue",
        "en": "Payments and return against the improvement achieved",
    },
    "chart.payments": {"fr": "paiements au résultat", "en": "outcome payments"},
    "chart.return": {"fr": "rendement annuel des investisseurs", "en": "investors' annual return"},
    "chart.irr_investors": {"fr": "TRI des investisseurs", "en": "investors' IRR"},
    "chart.achieved": {"fr": "obtenu : {value} %", "en": "achieved: {value}%"},
    "chart.payments_axis": {"fr": "Paiements ({currency})", "en": "Payments ({currency})"},
    "chart.return_axis": {"fr": "Rendement annuel", "en": "Annual return"},
    "status.complete": {"fr": "complète", "en": "complete"},
    "status.partial": {"fr": "partielle", "en": "partial"},
    "status.missing": {"fr": "manquante", "en": "missing"},
    "status.pending": {"fr": "à venir", "en": "not due yet"},
    "kind.alliances": {"fr": "alliance", "en": "alliance"},
    "kind.stakeholders": {"fr": "partenaire", "en": "stakeholder"},
    "kind.indicators": {"fr": "indicateur", "en": "indicator"},
    "kind.observations": {"fr": "donnée", "en": "observation"},
    "kind.targets": {"fr": "objectif", "en": "target"},
    "kind.replications": {"fr": "essaimage", "en": "replication"},
    "kind.contracts": {"fr": "contrat à impact", "en": "outcome contract"},
    "kind.prices": {"fr": "tarif", "en": "outcome price"},
    "kind.payers": {"fr": "payeur", "en": "outcome payer"},
    "kind.investments": {"fr": "investissement", "en": "investment"},
    "kind.payments": {"fr": "paiement", "en": "outcome payment"},
}


# Parameters that are quantities: a whole number among them is written with the language's
# thousands separator (``1 000 000`` in French, ``1,000,000`` in English). Identifiers (an
# upload's number, a year, a row of a file) are not.
QUANTITIES = frozenset(
    {"count", "shown", "total", "added", "changed", "unchanged", "missing", "found", "allowed"}
    | {"length", "limit"}
)


def known(key: str) -> bool:
    """Whether ``key`` names a catalogue string."""
    return key in STRINGS


def t(key: str, lang: str, **params: Any) -> str:
    """The string ``key`` in ``lang`` (French if the language is unknown), formatted."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["fr"]
    if not params:
        return text
    return text.format(
        **{k: _grouped(v, lang) if k in QUANTITIES else v for k, v in params.items()}
    )


def _grouped(value: Any, lang: str) -> Any:
    if not isinstance(value, int) or isinstance(value, bool):
        return value
    return f"{value:,}".replace(",", "\u202f" if lang != "en" else ",")


def said(error: MetricsError, lang: str) -> str:
    """A refusal in ``lang``: its catalogue string filled with its parameters."""
    return t(error.key, lang, **error.params)
