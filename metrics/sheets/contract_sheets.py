"""The sheets of outcome contracts: the contracts, then the rows of a contract (its rate card,
outcome payers, investments, payments and results per participant), each naming its contract
(see ``schema``)."""

from __future__ import annotations

from metrics.sheets.declaration import Column, Sheet

# The first columns of every sheet of a contract's rows: its contract, and its alliance when
# two contracts the account reads bear that name.
CONTRACT = Column(
    "contract",
    "contrat",
    "contract",
    "name",
    required=True,
    synonyms=("nom_du_contrat",),
    help_fr="Nom du contrat.",
    help_en="Name of the contract.",
)
CONTRACT_ALLIANCE = Column(
    "alliance",
    "alliance",
    "alliance",
    "name",
    db=("alliance_id",),
    template=False,
    help_fr="Alliance du contrat, quand deux contrats lus portent ce nom (facultatif).",
    help_en="The contract's alliance, when two contracts read bear its name (optional).",
)


def _currency(of_fr: str, of_en: str) -> Column:
    """The currency of a row's amounts when it is not the contract's (whose exchange rates then
    say what one unit of it is worth)."""
    return Column(
        "currency",
        "devise",
        "currency",
        "code",
        synonyms=("monnaie",),
        help_fr=(
            f"Devise {of_fr} (facultatif : sinon celle du contrat, dont les taux de change "
            "disent alors ce qu'elle vaut)."
        ),
        help_en=(
            f"Currency {of_en} (optional: else the contract's, whose exchange rates then say "
            "what it is worth)."
        ),
    )


CONTRACTS = Sheet(
    kind="contracts",
    fr="contrats_impact",
    en="outcome_contracts",
    synonyms=("contracts", "contrats", "contrats_a_impact"),
    table="outcome_contract",
    signature=("capital", "overall_threshold", "price"),
    columns=(
        Column(
            "contract",
            "contrat",
            "contract",
            "name",
            required=True,
            synonyms=("name", "nom", "nom_du_contrat"),
            db=("name",),
            help_fr="Nom du contrat (clé unique).",
            help_en="Name of the contract (unique key).",
        ),
        Column(
            "alliance",
            "alliance",
            "alliance",
            "name",
            required=True,
            db=("alliance_id",),
            help_fr="Alliance qui porte le service.",
            help_en="Alliance delivering the service.",
        ),
        Column(
            "indicator",
            "indicateur_de_resultat",
            "outcome_indicator",
            "name",
            synonyms=("indicateur", "indicator"),
            db=("indicator_code",),
            help_fr=(
                "Indicateur de résultat mesuré (code ou libellé), valeurs par cohorte (partenaire "
                "de type cohorte) et d'ensemble (sans partenaire)."
            ),
            help_en=(
                "Outcome indicator measured (code or label), values per cohort (stakeholder of "
                "type cohort) and overall (no stakeholder)."
            ),
        ),
        Column(
            "commissioner",
            "commanditaire",
            "commissioner",
            "text",
            synonyms=("payeur",),
            help_fr="Payeur au résultat.",
            help_en="Outcome payer.",
        ),
        Column(
            "investors",
            "investisseurs",
            "investors",
            "text",
            help_fr="Investisseurs.",
            help_en="Investors.",
        ),
        Column(
            "capital",
            "capital",
            "capital",
            "number",
            help_fr=(
                "Capital investi (facultatif : bien des contrats ne le publient pas ; les "
                "investissements, quand ils sont connus, vont dans leur feuille)."
            ),
            help_en=(
                "Capital invested (optional: many contracts do not publish it; investments, when "
                "known, go in their sheet)."
            ),
        ),
        Column(
            "currency",
            "devise",
            "currency",
            "code",
            required=True,
            synonyms=("monnaie",),
            help_fr="Devise (EUR, GBP...).",
            help_en="Currency (EUR, GBP...).",
        ),
        Column(
            "start",
            "debut",
            "start",
            "date",
            required=True,
            synonyms=("date_de_debut",),
            db=("start_date",),
            help_fr="Début du contrat.",
            help_en="Start of the contract.",
        ),
        Column(
            "end",
            "fin",
            "end",
            "date",
            required=True,
            synonyms=("date_de_fin",),
            db=("end_date",),
            help_fr="Fin du contrat.",
            help_en="End of the contract.",
        ),
        Column(
            "cohort_size",
            "taille_cohorte",
            "cohort_size",
            "number",
            synonyms=("taille_de_cohorte",),
            help_fr="Personnes par cohorte.",
            help_en="People per cohort.",
        ),
        Column(
            "baseline",
            "reference_de_comparaison",
            "comparison_baseline",
            "number",
            synonyms=("baseline", "reference"),
            help_fr="Valeur du groupe de comparaison, dans l'unité de l'indicateur.",
            help_en="Comparison group's value, in the indicator's unit.",
        ),
        Column(
            "per",
            "pour",
            "per",
            "number",
            help_fr="L'indicateur est exprimé pour combien de personnes (100 par défaut).",
            help_en="The indicator is per how many people (100 by default).",
        ),
        Column(
            "cohort_threshold",
            "seuil_cohorte",
            "cohort_threshold",
            "number",
            synonyms=("seuil_par_cohorte",),
            help_fr="Amélioration minimale d'une cohorte pour un paiement, en %.",
            help_en="Improvement a cohort needs for a payment, in %.",
        ),
        Column(
            "overall_threshold",
            "seuil_global",
            "overall_threshold",
            "number",
            synonyms=("seuil_d_ensemble",),
            help_fr="Amélioration minimale sur l'ensemble des cohortes, en %.",
            help_en="Improvement needed across all cohorts, in %.",
        ),
        Column(
            "price",
            "prix_unitaire",
            "price_per_unit",
            "number",
            synonyms=("price", "prix_par_unite"),
            help_fr="Prix payé par unité de résultat.",
            help_en="Price paid per unit of outcome.",
        ),
        Column(
            "payment_cap",
            "plafond_paiements",
            "payment_cap",
            "number",
            synonyms=("plafond_des_paiements",),
            help_fr="Plafond des paiements (facultatif).",
            help_en="Cap on outcome payments (optional).",
        ),
        Column(
            "return_cap",
            "plafond_rendement",
            "return_cap",
            "number",
            synonyms=("annual_return_cap", "plafond_de_rendement_annuel"),
            help_fr="Plafond du rendement annuel des investisseurs, en % (facultatif).",
            help_en="Cap on investors' annual return, in % (optional).",
        ),
        Column(
            "saving_per_unit",
            "economie_par_unite",
            "saving_per_unit",
            "number",
            help_fr="Économie estimée du commanditaire par unité de résultat (facultatif).",
            help_en="Commissioner's estimated saving per unit of outcome (optional).",
        ),
        Column(
            "population",
            "effectif",
            "population",
            "number",
            synonyms=("effectif_total", "overall_population"),
            help_fr=(
                "Personnes sur lesquelles le résultat d'ensemble est mesuré, toutes cohortes "
                "(facultatif ; sinon taille de cohorte × cohortes mesurées)."
            ),
            help_en=(
                "People the overall result is measured on, all cohorts (optional; else cohort size "
                "× cohorts measured)."
            ),
        ),
        Column(
            "illustrative",
            "illustratif",
            "illustrative",
            "list",
            synonyms=("illustratifs", "non_publie"),
            help_fr=(
                "Chiffres du contrat qui ne sont pas publiés, par leurs noms de colonne ou de "
                "feuille (investissements…) séparés par des virgules (facultatif) : la page les "
                "marque « illustratif »."
            ),
            help_en=(
                "The contract's figures that are not published, by their column or sheet names "
                '(investments…) separated by commas (optional): the page marks them "illustrative".'
            ),
        ),
        Column(
            "surplus",
            "excedent",
            "surplus",
            "choice",
            choices="surplus",
            default="",  # blank: by the rule (``outcomes.surplus_goes``)
            synonyms=("surplus", "excedent_va_a"),
            help_fr=(
                "Où vont les paiements au résultat une fois les tranches payées de ce qu'elles "
                "peuvent recevoir : investisseurs (au prorata du capital tiré ; par défaut sans "
                "plafond de rendement), prestataire, ou payeurs (ils le gardent ; par défaut avec "
                "un plafond de rendement)."
            ),
            help_en=(
                "Where outcome payments go once the tranches are paid what they may receive: "
                "investors (pro rata to capital drawn; the default without a return cap), "
                "provider, or payers (they keep it; the default with a return cap)."
            ),
        ),
        Column(
            "provider_share",
            "part_prestataire",
            "provider_share",
            "number",
            synonyms=("part_du_prestataire", "provider_share_of_return"),
            help_fr=(
                "Part du rendement des investisseurs (ce qu'ils reçoivent au-delà de leur "
                "capital) qui revient au prestataire, en % (facultatif)."
            ),
            help_en=(
                "Share of the investors' return (what they receive beyond their capital) that "
                "goes to the provider, in % (optional)."
            ),
        ),
        Column(
            "recycle_until",
            "recyclage_jusqu_au",
            "recycle_until",
            "date",
            synonyms=("recyclage", "recycled_until"),
            help_fr=(
                "Les paiements au résultat reçus jusqu'à cette date sont prêtés à nouveau au "
                "prestataire comme fonds de roulement, avant tout remboursement des "
                "investisseurs (facultatif)."
            ),
            help_en=(
                "Outcome payments received up to this date are re-lent to the provider as "
                "working capital, before investors are repaid (optional)."
            ),
        ),
        Column(
            "exchange_rates",
            "taux_de_change",
            "exchange_rates",
            "text",
            synonyms=("change", "fx_rates"),
            help_fr=(
                "Ce que vaut une unité de chaque autre devise du contrat dans la sienne, séparés "
                "par des points-virgules : CHF = 1,10 ; GBP = 1,27 (facultatif : quand des "
                "montants sont dans une autre devise)."
            ),
            help_en=(
                "What one unit of each other currency of the contract is worth in its own, "
                "separated by semicolons: CHF = 1.10; GBP = 1.27 (optional: when amounts are in "
                "another currency)."
            ),
        ),
        Column(
            "person_cap",
            "plafond_par_personne",
            "cap_per_person",
            "number",
            synonyms=("plafond_par_participant",),
            help_fr=(
                "Ce qu'un participant peut rapporter au plus, tous résultats confondus "
                "(facultatif ; compté sur la feuille resultats_participants)."
            ),
            help_en=(
                "The most one participant can earn, across outcomes (optional; counted on the "
                "participant_results sheet)."
            ),
        ),
    ),
)

PRICES = Sheet(
    kind="prices",
    fr="tarifs",
    en="outcome_prices",
    synonyms=("grille_tarifaire", "rate_card"),
    table="outcome_price",
    signature=("basis", "max_units", "max_amount"),
    identity=("outcome", "threshold", "since"),
    columns=(
        CONTRACT,
        CONTRACT_ALLIANCE,
        Column(
            "outcome",
            "resultat",
            "outcome",
            "text",
            required=True,
            help_fr=(
                "Résultat payé (un nom ; plusieurs lignes d'un même résultat, à seuils croissants, "
                "sont des paliers)."
            ),
            help_en=(
                "Outcome paid for (a name; several rows of one outcome with rising thresholds are "
                "tiers)."
            ),
        ),
        Column(
            "indicator",
            "indicateur",
            "indicator",
            "name",
            help_fr=(
                "Indicateur dont les valeurs sont les résultats obtenus (code ou libellé ; sinon "
                "celui du contrat)."
            ),
            help_en=(
                "Indicator whose values are the outcomes achieved (code or label; else the "
                "contract's)."
            ),
        ),
        Column(
            "basis",
            "base",
            "basis",
            "choice",
            required=True,
            choices="price_basis",
            help_fr=(
                "nombre : chaque résultat obtenu est payé ; amélioration : les points "
                "d'amélioration sur le groupe de comparaison, au-delà du seuil."
            ),
            help_en=(
                "count: each outcome achieved is paid; improvement: the points of improvement over "
                "the comparison group, past the threshold."
            ),
        ),
        Column(
            "price",
            "prix_unitaire",
            "price_per_unit",
            "number",
            required=True,
            synonyms=("price", "prix"),
            help_fr="Prix d'une unité.",
            help_en="Price of one unit.",
        ),
        Column(
            "threshold",
            "seuil",
            "threshold",
            "number",
            help_fr="Amélioration à partir de laquelle ce prix s'applique, en % (facultatif).",
            help_en="Improvement from which this price applies, in % (optional).",
        ),
        Column(
            "max_units",
            "plafond_unites",
            "max_units",
            "number",
            help_fr="Unités payées au plus sur tout le contrat (facultatif).",
            help_en="Units paid at most over the contract (optional).",
        ),
        Column(
            "max_amount",
            "plafond_montant",
            "max_amount",
            "number",
            help_fr="Montant payé au plus pour ce résultat (facultatif).",
            help_en="Amount paid at most for this outcome (optional).",
        ),
        Column(
            "since",
            "a_partir_du",
            "from",
            "date",
            synonyms=("depuis", "since", "valable_a_partir_du"),
            help_fr=(
                "Date à partir de laquelle ce prix s'applique (facultatif : sinon dès le début) ; "
                "un prix qui change a une ligne par date, chacune jusqu'à la suivante."
            ),
            help_en=(
                "Date from which this price applies (optional: else from the start); a price that "
                "changes has a row per date, each until the next."
            ),
        ),
        Column(
            "per_person",
            "fois_par_personne",
            "times_per_person",
            "number",
            synonyms=("par_personne",),
            help_fr=(
                "Combien de fois un même participant peut être payé pour ce résultat, quand la "
                "feuille resultats_participants le donne par participant (facultatif : une fois)."
            ),
            help_en=(
                "How many times one participant may be paid for this outcome, when the "
                "participant_results sheet gives it per participant (optional: once)."
            ),
        ),
    ),
)

PAYERS = Sheet(
    kind="payers",
    fr="payeurs",
    en="outcome_payers",
    synonyms=("payers",),
    table="outcome_payer",
    signature=("payer", "share"),
    identity=("payer", "outcome"),
    columns=(
        CONTRACT,
        CONTRACT_ALLIANCE,
        Column(
            "payer",
            "payeur",
            "payer",
            "text",
            required=True,
            help_fr="Qui paie les résultats.",
            help_en="Who pays the outcomes.",
        ),
        Column(
            "commitment",
            "engagement",
            "commitment",
            "number",
            required=True,
            help_fr="Montant maximal engagé.",
            help_en="Maximum amount committed.",
        ),
        Column(
            "share",
            "part",
            "share",
            "number",
            help_fr=(
                "Part de chaque paiement, en % (facultatif ; sinon au prorata des engagements)."
            ),
            help_en="Share of each payment, in % (optional; else pro rata to commitments).",
        ),
        Column(
            "outcome",
            "resultat",
            "outcome",
            "text",
            help_fr=(
                "Le résultat de la grille dont ce payeur paie sa part (facultatif : sinon, tous "
                "ceux qu'aucune ligne ne nomme) ; un fonds qui complète certains résultats a une "
                "ligne par résultat."
            ),
            help_en=(
                "The rate card's outcome this payer pays its share of (optional: else every one no "
                "row names); an outcome fund topping up some outcomes has a row per outcome."
            ),
        ),
        _currency("de l'engagement", "of the commitment"),
    ),
)

INVESTMENTS = Sheet(
    kind="investments",
    fr="investissements",
    en="investments",
    table="investment",
    signature=("investor", "tranche", "drawn"),
    identity=("investor", "tranche", "date"),
    columns=(
        CONTRACT,
        CONTRACT_ALLIANCE,
        Column(
            "investor",
            "investisseur",
            "investor",
            "text",
            required=True,
            help_fr="Investisseur.",
            help_en="Investor.",
        ),
        Column(
            "type",
            "type",
            "type",
            "choice",
            required=True,
            choices="investment_type",
            help_fr="fonds propres, prêt, garantie ou subvention.",
            help_en="equity, loan, guarantee or grant.",
        ),
        Column(
            "tranche",
            "rang",
            "tranche",
            "choice",
            choices="tranche",
            default="senior",
            help_fr="senior (remboursé d'abord) ou subordonnée (senior par défaut).",
            help_en="senior (paid back first) or subordinate (senior by default).",
        ),
        Column(
            "committed",
            "engagement",
            "committed",
            "number",
            required=True,
            help_fr="Montant engagé (pour une garantie : ce qu'elle couvre).",
            help_en="Amount committed (for a guarantee: what it covers).",
        ),
        Column(
            "date",
            "date",
            "date",
            "date",
            required=True,
            help_fr="Date du tirage.",
            help_en="Date of the draw.",
        ),
        Column(
            "drawn",
            "tire",
            "drawn",
            "number",
            synonyms=("montant_tire",),
            help_fr="Montant tiré à cette date (une ligne par tirage).",
            help_en="Amount drawn on that date (one row per draw).",
        ),
        Column(
            "return_cap",
            "plafond_rendement",
            "return_cap",
            "number",
            synonyms=("plafond_de_rendement_annuel", "interet", "taux_d_interet", "interest"),
            help_fr=(
                "Plafond du rendement annuel de cet investisseur, ou son taux d'intérêt, en % "
                "(facultatif : sinon celui du contrat) ; la dette et les fonds propres d'un même "
                "contrat peuvent avoir le leur."
            ),
            help_en=(
                "Cap on this investor's annual return, or its interest rate, in % (optional: "
                "else the contract's); the debt and the equity of one contract may each have "
                "their own."
            ),
        ),
        Column(
            "distributed",
            "distribue",
            "distributed",
            "number",
            synonyms=("montant_distribue", "rembourse", "repaid"),
            help_fr=(
                "Montant versé à cet investisseur à cette date (capital et rendement), tel que "
                "relevé (facultatif) : montré à côté de ce que la cascade calcule ; une ligne par "
                "versement, le montant tiré vide, ou sur la ligne du tirage du même jour."
            ),
            help_en=(
                "Amount paid to this investor on that date (capital and return), as recorded "
                "(optional): shown beside what the waterfall computes; one row per payment, the "
                "amount drawn left blank, or on the row of a draw of the same day."
            ),
        ),
        Column(
            "bonus",
            "bonus",
            "bonus",
            "number",
            synonyms=("prime", "prime_de_resultat"),
            help_fr=(
                "Somme fixe que cet investisseur reçoit en plus de son capital et de ses "
                "intérêts, une fois ceux-ci payés, sur les paiements au résultat (facultatif)."
            ),
            help_en=(
                "A fixed sum this investor receives on top of its capital and interest, once "
                "they are paid, from the outcome payments (optional)."
            ),
        ),
        _currency("des montants de cet investisseur", "of this investor's amounts"),
    ),
)

PAYMENTS = Sheet(
    kind="payments",
    fr="paiements",
    en="outcome_payments",
    synonyms=("payments",),
    table="outcome_payment",
    signature=("amount", "nature"),
    identity=("date", "payer", "outcome", "nature", "plan"),
    columns=(
        CONTRACT,
        CONTRACT_ALLIANCE,
        Column(
            "date",
            "date",
            "date",
            "date",
            required=True,
            help_fr="Date du paiement.",
            help_en="Date of the payment.",
        ),
        Column(
            "payer",
            "payeur",
            "payer",
            "text",
            required=True,
            help_fr="Qui a payé.",
            help_en="Who paid.",
        ),
        Column(
            "outcome",
            "resultat",
            "outcome",
            "text",
            help_fr="Résultat payé (facultatif).",
            help_en="Outcome paid for (optional).",
        ),
        Column(
            "amount",
            "montant",
            "amount",
            "number",
            required=True,
            help_fr="Montant payé.",
            help_en="Amount paid.",
        ),
        Column(
            "nature",
            "nature",
            "nature",
            "choice",
            choices="payment_nature",
            default="outcome",
            help_fr="résultat (par défaut) ou autre : un paiement qui ne rémunère pas un résultat.",
            help_en="outcome (default) or other: a payment that pays for no outcome.",
        ),
        Column(
            "plan",
            "prevu_ou_reel",
            "planned_or_actual",
            "choice",
            choices="payment_plan",
            default="actual",
            synonyms=("type", "planned", "prevu"),
            help_fr=(
                "réel (par défaut) : un paiement fait ; prévu : un paiement que l'échéancier "
                "prévoit, montré à côté des paiements réels."
            ),
            help_en=(
                "actual (default): a payment made; planned: one the schedule plans, shown beside "
                "the actual payments."
            ),
        ),
        _currency("du paiement", "of the payment"),
    ),
)

PARTICIPANTS = Sheet(
    kind="participants",
    fr="resultats_participants",
    en="participant_results",
    synonyms=("participants", "resultats_par_participant"),
    table="participant_result",
    signature=("participant", "units"),
    identity=("participant", "outcome", "date"),
    columns=(
        CONTRACT,
        CONTRACT_ALLIANCE,
        Column(
            "participant",
            "participant",
            "participant",
            "text",
            required=True,
            synonyms=("identifiant", "pseudonyme", "participant_id"),
            help_fr=(
                "Identifiant du participant choisi par le prestataire (P-0042), jamais un nom "
                "ni une adresse : il ne sert qu'à compter ce qu'une même personne rapporte."
            ),
            help_en=(
                "The participant's id chosen by the provider (P-0042), never a name nor an "
                "address: it only counts what one person earns."
            ),
        ),
        Column(
            "outcome",
            "resultat",
            "outcome",
            "text",
            required=True,
            help_fr="Résultat atteint, tel que la grille tarifaire le nomme.",
            help_en="Outcome achieved, as the rate card names it.",
        ),
        Column(
            "date",
            "date",
            "date",
            "date",
            required=True,
            help_fr="Date à laquelle le résultat est atteint.",
            help_en="Date the outcome was achieved.",
        ),
        Column(
            "units",
            "unites",
            "units",
            "number",
            help_fr="Unités atteintes (facultatif : 1).",
            help_en="Units achieved (optional: 1).",
        ),
    ),
)
