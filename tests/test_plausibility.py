"""Plausibility of values: what each indicator allows (its bounds), refused at import with the
row, the value and the bound, in both languages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.base import catalog
from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, ValidationError
from metrics.domain import plausibility, timeliness
from metrics.presentation import flags
from metrics.presentation.i18n import said
from metrics.presentation.problems import line, message
from metrics.sheets.problem import Problem
from metrics.storage.store import Store
from metrics.usecases import plausibility as plausibility_uses
from tests.conftest import ALLIANCE, STAKEHOLDERS, xlsx
from tests.lake import db_at
from tests.test_app import app, table_with, wkey
from tests.test_cli import run

ADMIN = Actor.system("test")
LEAD = "lead@example.org"


def workbook(observations: list[list[Any]], indicators: list[list[Any]] | None = None) -> bytes:
    sheets: dict[str, list[list[Any]]] = {"alliances": [ALLIANCE], "stakeholders": STAKEHOLDERS}
    if indicators is not None:
        sheets["indicators"] = indicators
    sheets["observations"] = observations
    return xlsx(sheets)


def refused(store: Store, content: bytes, lang: str = "en", who: Actor = ADMIN) -> list[str]:
    """The problems of a refused import, each on its line."""
    with pytest.raises(ValidationError) as refusal:
        store.import_file(content, "values.xlsx", who)
    return [line(p, lang) for p in refusal.value.problems]


def test_the_catalogue_bounds_each_indicator_as_its_unit_says() -> None:
    by_code = catalog.BY_CODE
    assert (by_code["partner_trust"].minimum, by_code["partner_trust"].maximum) == (1, 5)
    assert (by_code["unemployment_rate"].minimum, by_code["unemployment_rate"].maximum) == (0, 100)
    assert by_code["back_to_work"].whole and by_code["back_to_work"].maximum is None
    # jobs are full-time equivalents; reconvictions per 100 people pass 100 (Peterborough: 142)
    assert not by_code["jobs_created"].whole
    assert by_code["reconviction_rate"].maximum is None
    assert all(i.minimum is not None for i in catalog.CATALOG)


def test_a_value_outside_its_indicators_bounds_is_refused_naming_row_value_and_bound(
    fresh_store: Store,
) -> None:
    content = workbook(
        [
            ["Alliance test", "partner_trust", "2024", 7, "", ""],  # row 2: a score out of 5
            ["Alliance test", "unemployment_rate", "2024", 140, "", ""],  # row 3: a rate
            ["Alliance test", "back_to_work", "2024", 2.5, "", ""],  # row 4: people
            ["Alliance test", "jobs_created", "2024", -1, "", ""],  # row 5
            ["Alliance test", "jobs_created", "2023", 2.5, "", ""],  # full-time equivalents
            ["Alliance test", "partner_trust", "2023", 1, "", ""],  # on the bound: allowed
            ["Alliance test", "unemployment_rate", "2023", 100, "", ""],
        ]
    )
    assert refused(fresh_store, content) == [
        "donnees, row 2, column valeur (D): “7” Value above the indicator's maximum (5): correct"
        " it (a score out of 5, a rate out of 100?) or, if it is right, ask an admin to review"
        " this maximum.",
        "donnees, row 3, column valeur (D): “140” Value above the indicator's maximum (100):"
        " correct it (a score out of 5, a rate out of 100?) or, if it is right, ask an admin to"
        " review this maximum.",
        "donnees, row 4, column valeur (D): “2.5” This indicator counts whole numbers only"
        " (people, services…): write a number without decimals.",
        "donnees, row 5, column valeur (D): “-1” Value below the indicator's minimum (0): correct"
        " it (a typing mistake?) or, if it is right, ask an admin to review this minimum.",
    ]
    french = refused(fresh_store, content, "fr")
    assert french[0].startswith(
        "donnees, ligne 2, colonne valeur (D)\u00a0: « 7 » Valeur supérieure"
    )
    assert "maximum de l'indicateur (5)" in french[0]
    assert fresh_store.alliance_names(ADMIN) == []  # nothing written


INDICATOR = ["hours_saved", "Heures gagnées", "Hours saved", "performance", "heures", "up", "sum"]


def test_an_indicator_declared_in_the_file_brings_its_bounds(fresh_store: Store) -> None:
    declared = [[*INDICATOR, "", 0, 10.5, "non"]]
    content = workbook(
        [
            ["Alliance test", "hours_saved", "2023", 10.5, "", ""],
            ["Alliance test", "hours_saved", "2024", 11, "", ""],
        ],
        declared,
    )
    [problem] = refused(fresh_store, content)
    assert "row 3" in problem and "maximum (10.5)" in problem
    whole = [[*INDICATOR, "", "", "", "oui"]]
    [problem] = refused(
        fresh_store, workbook([["Alliance test", "hours_saved", "2023", 1.5, "", ""]], whole)
    )
    assert "whole numbers only" in problem
    # The maximum above its minimum, and a yes or no.
    wrong = [[*INDICATOR, "", 5, 2, "peut-être"]]
    problems = refused(
        fresh_store, workbook([["Alliance test", "hours_saved", "2023", 3, "", ""]], wrong)
    )
    assert any("The maximum is smaller than the minimum (5)" in p for p in problems)
    assert any("“peut-être”" in p and "yes, no" in p for p in problems)


def test_bounds_are_stored_kept_by_a_blank_cell_and_changed_by_an_admin(fresh_store: Store) -> None:
    fresh_store.import_file(
        workbook(
            [["Alliance test", "hours_saved", "2023", 4, "", ""]], [[*INDICATOR, "", 0, 10, "oui"]]
        ),
        "declared.xlsx",
        ADMIN,
    )
    stored = fresh_store.indicators(ADMIN).set_index("code").loc["hours_saved"]
    assert (stored["minimum"], stored["maximum"], bool(stored["whole"])) == (0, 10, True)
    # Restated without bounds: nothing changes, and the bounds still hold.
    restated = workbook([["Alliance test", "hours_saved", "2024", 5, "", ""]], [[*INDICATOR]])
    result = fresh_store.import_file(restated, "restated.xlsx", ADMIN, dry_run=True)
    changes = result.plan.diff
    assert set(changes[changes["kind"] == "indicators"]["change"]) == {"unchanged"}
    [problem] = refused(
        fresh_store,
        workbook([["Alliance test", "hours_saved", "2024", 11, "", ""]], [[*INDICATOR]]),
    )
    assert "maximum (10)" in problem
    # An admin raises the maximum: 11 lands.
    raised = workbook(
        [["Alliance test", "hours_saved", "2024", 11, "", ""]], [[*INDICATOR, "", "", 20]]
    )
    fresh_store.import_file(raised, "raised.xlsx", ADMIN)
    assert fresh_store.indicators(ADMIN).set_index("code").loc["hours_saved", "maximum"] == 20


def test_built_in_indicators_stored_without_bounds_take_theirs(fresh_store: Store) -> None:
    """A database made before indicators had bounds: its built-in ones take the catalogue's
    when the catalogue is loaded, an indicator of its own keeps none."""
    with fresh_store.db.transaction() as cur:
        cur.execute("UPDATE indicator SET minimum = NULL, maximum = NULL, whole = NULL")
    fresh_store.reference.load_catalog()
    bounds = fresh_store.indicators(ADMIN).set_index("code")
    assert (bounds.loc["partner_trust", "minimum"], bounds.loc["partner_trust", "maximum"]) == (
        1,
        5,
    )
    assert bool(bounds.loc["back_to_work", "whole"])


# -- flags: outliers within a series, rules between indicators -----------------------------------


def series(values: list[float], start: int = 2015, **keys: str) -> pd.DataFrame:
    """One alliance's yearly values of one indicator (a rate, which counts nothing, unless
    said), from ``start``."""
    periods = [str(start + i) for i in range(len(values))]
    return pd.DataFrame(
        {
            "alliance": keys.get("alliance", "A"),
            "indicator": keys.get("indicator", "unemployment_rate"),
            "stakeholder": keys.get("stakeholder", ""),
            "granularity": keys.get("granularity", "year"),
            "period": periods,
            "period_start": pd.to_datetime(periods),
            "value": [float(v) for v in values],
        }
    )


def flagged(frame: pd.DataFrame) -> list[tuple[str, str, dict[str, Any]]]:
    return [(r.period, r.reason, r.params) for r in plausibility.flags(frame).itertuples()]


def test_a_value_ten_times_its_usual_one_is_flagged_with_the_factor() -> None:
    # 5,000 jobs after three years around 50: median 50, 100 times it (typed in units, not k)
    assert flagged(series([48, 50, 52, 5000])) == [
        ("2018", "scale", {"median": 50.0, "history": 3, "factor": 100.0})
    ]
    # a tenth or less: 0.52 after 48, 50, 52 (typed in thousands): median 50, × 0.01
    assert flagged(series([48, 50, 52, 0.52])) == [
        ("2018", "scale", {"median": 50.0, "history": 3, "factor": 0.01})
    ]
    # 13 times: not a power of ten, rounded to two significant figures
    assert flagged(series([10, 10, 10, 134.6]))[0][2]["factor"] == 13.0


def test_an_outlier_is_flagged_beyond_its_threshold_and_not_below_its_minimum_history() -> None:
    # before: 13.5, 14.5 three times: median 14, MAD 0.5, taken as a tenth of the median: 1.4.
    # Far from the median: 0.6745 × (x − 14) / 1.4 > 3.5, x > 21.26; and from the value just
    # before, 14.5: 0.6745 × (x − 14.5) / 1.4 > 3.5, x > 21.76
    before = [13.5, 14.5, 13.5, 14.5, 13.5, 14.5]
    assert flagged(series([*before, 21.7])) == []  # z = 3.71, but 3.47 from 14.5
    assert flagged(series([*before, 21.8])) == [  # z = 3.76, and 3.52 from 14.5
        ("2021", "outlier", {"median": 14.0, "history": 6, "z": 3.8, "previous": 14.5})
    ]
    assert flagged(series([*before, 6.0])) == [  # z = −3.85, and −4.10 from 14.5
        ("2021", "outlier", {"median": 14.0, "history": 6, "z": -3.9, "previous": 14.5})
    ]
    # two values before: too few to say what is usual
    assert flagged(series([50, 52, 5000])) == []
    # all alike before: the MAD is a tenth of the median (1), 11 is close (z = 0.67)
    assert flagged(series([10, 10, 10, 11])) == []
    assert flagged(series([10, 10, 10, 100]))[0][1] == "scale"
    # a drop to 0 is no unit typed wrong, but far: median 50, MAD 2 → 5 (a tenth of 50),
    # z = 0.6745 × −50 / 5 = −6.7, and −7.0 from 52
    assert flagged(series([48, 50, 52, 0])) == [
        ("2018", "outlier", {"median": 50.0, "history": 3, "z": -6.7, "previous": 52.0})
    ]


def test_a_series_that_grows_is_not_flagged_at_each_value() -> None:
    # around 42, then 20 more each quarter: 120.5 is far from the median of the values before
    # (43.5, MAD 3 → 4.35: z = 11.9) but not from 100.5 just before (z = 3.10); nor is any
    # value before it from the one before (3.17 for 80.5, 3.14 for 100.5)
    assert flagged(series([40.5, 42.5, 41.5, 43.5, 60.5, 80.5, 100.5, 120.5])) == []


def test_a_count_is_allowed_what_chance_gives_a_count() -> None:
    # around 6 people a month: MAD 0.5, but a count varies by √6 = 2.45 by chance alone:
    # the MAD is taken as 0.6745 × 2.45 = 1.65; 10 gives z = 0.6745 × 4 / 1.65 = 1.63
    people = [6, 6, 5, 7, 6, 6, 5, 7]
    assert flagged(series([*people, 10], indicator="back_to_work")) == []
    assert flagged(
        series([*people, 16], indicator="back_to_work")
    ) == [  # z = 4.08, and 3.67 from 7
        ("2023", "outlier", {"median": 6.0, "history": 8, "z": 4.1, "previous": 7.0})
    ]
    # the same spread in a rate (no count): MAD 0.65, 11.5 is far (z = 5.19, 4.15 from 7.5)
    tonnes = [v + 0.5 for v in people]
    assert flagged(series([*tonnes, 11.5])) == [
        ("2023", "outlier", {"median": 6.5, "history": 8, "z": 5.2, "previous": 7.5})
    ]


def test_a_value_is_compared_with_the_eight_before_it_in_its_own_series() -> None:
    # 1,000 first, then eight counts around 10: the last one, 60, against those eight only:
    # median 10.5, MAD 0.5 → 0.6745 × √10.5 = 2.19 (a count), z = 0.6745 × 49.5 / 2.19 = 15.3
    # (under 10 times the median: no scale)
    values = [1000, 10, 10, 11, 12, 10, 11, 12, 10, 60]
    assert flagged(series(values, indicator="back_to_work")) == [
        ("2024", "outlier", {"median": 10.5, "history": 8, "z": 15.3, "previous": 10.0})
    ]
    # another partner's, another granularity's values are other series
    mixed = pd.concat(
        [
            series([48, 50, 52]),
            series([5000], start=2018, stakeholder="Entreprise A"),
            series([5000], start=2018, granularity="quarter"),
            series([5000], start=2018, alliance="B"),
        ]
    )
    assert flagged(mixed) == []


def test_a_broken_rule_flags_its_left_value_with_both_values() -> None:
    values = pd.concat(
        [
            series([20, 30, 40], start=2022, indicator="back_to_work"),
            series([25, 25], start=2022, indicator="people_supported"),  # none in 2024
            series([90], start=2023, indicator="back_to_work", stakeholder="Entreprise A"),
            series([5, 60], start=2022, indicator="unemployment_rate", alliance="B"),
        ]
    )
    work = plausibility.Rule(None, "back_to_work", "<=", "people_supported")
    assert flagged_rules(values, [work]) == [
        (
            "A",
            "2023",
            {
                "operator": "<=",
                "right": "people_supported",
                "factor": 1.0,
                "left_value": 30.0,
                "right_value": 25.0,
            },
        ),
    ]
    # with a factor: at most half of the people supported back in work: 20 > 12.5, 30 > 12.5
    half = plausibility.Rule("A", "back_to_work", "<=", "people_supported", 0.5)
    assert [(p, f["right_value"]) for _, p, f in flagged_rules(values, [half])] == [
        ("2022", 25.0),
        ("2023", 25.0),
    ]
    # against a number, for one alliance only: B's unemployment rate of 60 is above 50
    rate = plausibility.Rule("B", "unemployment_rate", "<", 50.0)
    assert [(a, p) for a, p, _ in flagged_rules(values, [rate])] == [("B", "2023")]
    assert flagged_rules(values, [plausibility.Rule("A", "unemployment_rate", "<", 50.0)]) == []


def flagged_rules(
    values: pd.DataFrame, rules: list[plausibility.Rule]
) -> list[tuple[str, str, dict[str, Any]]]:
    found = plausibility.broken_rules(values, rules)
    return [(r.alliance, r.period, r.params) for r in found.itertuples()]


# -- flags of a file before it is imported, and of the stored values ------------------------------


def monthly(alliance: str, indicator: str, values: list[float], start: int = 1) -> list[list[Any]]:
    """Rows of the ``donnees`` sheet: one value a month of 2024 from month ``start``."""
    return [[alliance, indicator, f"{start + i:02d}/2024", v, "", ""] for i, v in enumerate(values)]


def test_a_file_s_values_are_flagged_against_the_stored_ones_and_land(fresh_store: Store) -> None:
    history = monthly("Alliance test", "jobs_created", [48, 50, 52])
    history += monthly("Alliance test", "people_supported", [30, 30, 30, 30])
    fresh_store.import_file(workbook(history), "history.xlsx", ADMIN)
    later = [
        ["Alliance test", "jobs_created", "04/2024", 5000, "", ""],  # row 2: typed in units
        ["Alliance test", "back_to_work", "04/2024", 40, "", ""],  # row 3: 40 > 30 supported
        ["Alliance test", "back_to_work", "03/2024", 20, "", ""],  # row 4: within the rule
    ]
    plan = fresh_store.check(workbook(later), "later.xlsx", ADMIN)
    found = plausibility_uses.file_flags(fresh_store, plan, ADMIN)
    assert [(r.source_row, r.indicator, r.period, r.reason) for r in found.itertuples()] == [
        (2, "jobs_created", "2024-04", "scale"),
        (3, "back_to_work", "2024-04", "rule"),
    ]
    labels = {
        "jobs_created": "Emplois créés",
        "back_to_work": "Personnes de retour à l'emploi",
        "people_supported": "Personnes accompagnées",
    }
    labels_en = {"jobs_created": "Jobs created", "back_to_work": "People back in work"}
    assert flags.lines(found, "fr", labels) == [
        "donnees, ligne 2\u00a0: Alliance test · Emplois créés, avr. 2024, 5\u202f000. 100 fois"
        " la médiane des 3 valeurs précédentes (50) : saisie dans une autre unité (des unités au"
        " lieu de milliers, ou l'inverse) ?",
        "donnees, ligne 3\u00a0: Alliance test · Personnes de retour à l'emploi, avr. 2024, 40."
        " Règle non respectée : Personnes de retour à l'emploi ≤ Personnes accompagnées ; ici 40"
        " pour 30.",
    ]
    assert flags.lines(found, "en", labels_en)[0] == (
        "donnees, row 2: Alliance test · Jobs created, Apr 2024, 5,000. 100 times the median of"
        " the 3 values before (50): typed in another unit (units instead of thousands, or the"
        " reverse)?"
    )
    # A flag never stops an import nor changes a value: the file lands as written.
    fresh_store.import_file(workbook(later), "later.xlsx", ADMIN)
    stored = fresh_store.observations(ADMIN, "Alliance test")
    assert stored[stored["period"] == "2024-04"].set_index("indicator")["value"].to_dict() == {
        "back_to_work": 40.0,
        "jobs_created": 5000.0,
        "people_supported": 30.0,
    }


def test_the_scorecard_gives_each_value_its_flag_and_each_alliance_its_count(
    tmp_path: Path,
) -> None:
    db = db_at(tmp_path / "s.duckdb")
    with Store(db) as store:
        values = monthly("Alliance test", "jobs_created", [48, 50, 52, 5000])
        store.import_file(workbook(values), "values.xlsx", ADMIN)
    out = run("scorecard", "--db", str(db), "--granularity", "quarter")
    assert out.returncode == 0, out.stderr
    [alliance] = json.loads(out.stdout)["alliances"]
    assert alliance["quality"] == {"flagged": 1, "checked": 0, "late": 0}
    by_period = {i["period"]: i["flag"] for i in alliance["indicators"]}
    assert by_period == {
        "2024-Q1": None,
        # April's 5,000 falls in the second quarter: 100 times the median of 48, 50, 52
        "2024-Q2": {
            "reason": "scale",
            "period": "2024-04",
            "stakeholder": None,
            "value": 5000.0,
            "median": 50.0,
            "history": 3,
            "factor": 100.0,
            "checked": False,
        },
    }


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=30))
def test_flags_never_change_the_values_they_read(values: list[float]) -> None:
    frame = series(values)
    before = frame.copy()
    found = plausibility.flags(frame, [plausibility.Rule(None, "jobs_created", "<=", 100.0)])
    pd.testing.assert_frame_equal(frame, before)
    # each flag names a value as it is
    given_values = dict(zip(frame["period"], frame["value"], strict=True))
    assert all(given_values[f.period] == f.value for f in found.itertuples())


def test_an_editor_marks_a_value_checked_which_stays_until_the_value_changes(
    fresh_store: Store,
) -> None:
    fresh_store.import_file(
        workbook(monthly("Alliance test", "jobs_created", [48, 50, 52, 5000])), "v.xlsx", ADMIN
    )
    found = plausibility_uses.alliance_flags(fresh_store, ADMIN, "Alliance test")
    [flag] = found.to_dict("records")
    key = ("jobs_created", "", "2024-04", 5000.0, "scale")
    editor = Actor("editor@example.org", roles=frozenset({("Alliance test", "editor")}))
    viewer = Actor("viewer@example.org", roles=frozenset({("Alliance test", "viewer")}))
    funder = Actor("funder@example.org", funded=frozenset({"Alliance test"}))
    for refused_actor, code in (
        (viewer, "err.flag_check_denied"),
        (funder, "err.flag_check_denied"),
    ):
        with pytest.raises(AccessDenied) as refusal:
            fresh_store.check_flag(refused_actor, "Alliance test", *key)
        assert refusal.value.key == code
    assert fresh_store.check_flag(editor, "Alliance test", *key)
    assert not fresh_store.check_flag(editor, "Alliance test", *key)  # once is enough
    checks = fresh_store.flag_checks(viewer, "Alliance test")
    assert list(checks["checked_by"]) == ["editor@example.org"]
    marked = plausibility_uses.with_checks(found, checks)
    assert marked["checked"].tolist() == [True]
    [counted] = plausibility_uses.by_alliance(fresh_store, ADMIN, dt.date(2026, 12, 3)).to_dict(
        "records"
    )
    assert (counted["flagged"], counted["checked"], counted["open"]) == (1, 1, 0)
    # the decision and the refusals are in the audit log, with what was checked
    audit = fresh_store.audit(ADMIN)
    lines = audit[audit["action"] == "flag_check"]
    assert sorted(lines["outcome"]) == ["ok", "refused", "refused"]
    ok = json.loads(lines[lines["outcome"] == "ok"]["details"].iloc[0])
    assert (ok["indicator"], ok["period"], ok["value"]) == ("jobs_created", "2024-04", 5000.0)
    # a new value of the same key is to check again: 4,000 is still 80 times the median
    fresh_store.import_file(
        workbook([["Alliance test", "jobs_created", "04/2024", 4000, "", ""]]), "w.xlsx", ADMIN
    )
    again = plausibility_uses.with_checks(
        plausibility_uses.alliance_flags(fresh_store, ADMIN, "Alliance test"),
        fresh_store.flag_checks(ADMIN, "Alliance test"),
    )
    assert again[["value", "checked"]].values.tolist() == [[4000.0, False]]
    assert flag["value"] == 5000.0


# -- the pages ------------------------------------------------------------------------------------


def test_the_data_page_lists_the_values_to_check_and_a_lead_marks_one(isolated: str) -> None:
    """The demo's pending update gives Sambre's forum contributions of the first quarter of
    2026 a zero too many: 1,020, 15 times the median of the eight quarters before (68)."""
    at = app("fr", "pages/data.py", "lead@demo.example")
    at.selectbox(key="data_check_alliance").select("Sambre Emploi Solidaire").run()
    table = table_with(at, "Pourquoi la vérifier")
    [row] = table.to_dict("records")
    assert (row["Indicateur"], row["Période"], row["Valeur"]) == (
        "Contributions aux forums citoyens",
        "T1 2026",
        "1\u202f020",
    )
    assert row["Pourquoi la vérifier"].startswith(
        "15 fois la médiane des 8 valeurs précédentes (68)"
    )
    at.button(key="data_check_mark").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "Valeur marquée vérifiée : Contributions aux forums citoyens · T1 2026 · 1\u202f020."
    ]
    assert any("0 valeur(s) à vérifier, 1 déjà vérifiée(s)" in c.value for c in at.caption)
    # a viewer reads the list and who checked what, in English, and may not mark
    viewer = app("en", "pages/data.py", "viewer@demo.example")
    viewer.selectbox(key="data_check_alliance").select("Sambre Emploi Solidaire").run()
    assert any("0 value(s) to check, 1 already checked" in c.value for c in viewer.caption)
    checked = table_with(viewer, "Checked by")
    [why] = checked["Why check it"]
    assert why.startswith("15 times the median of the 8 values before (68)")
    assert not [b for b in viewer.button if b.key == "data_check_mark"]


def test_each_alliance_counts_its_values_flagged_checked_and_still_to_check(
    fresh_store: Store,
) -> None:
    values = monthly("Alliance test", "jobs_created", [48, 50, 52, 5000, 50, 52, 0.4])
    fresh_store.import_file(workbook(values), "v.xlsx", ADMIN)
    # 5,000 (× 100) and 0.4 (× 0.008 of 50) are flagged; the first is then checked
    fresh_store.check_flag(ADMIN, "Alliance test", "jobs_created", "", "2024-04", 5000.0, "scale")
    today = dt.date(2026, 12, 3)
    counted = plausibility_uses.by_alliance(fresh_store, ADMIN, today)
    # (its values came today, with its first upload: no period of theirs was ever due)
    assert counted.to_dict("records") == [
        {"alliance": "Alliance test", "flagged": 2, "checked": 1, "open": 1, "late": 0}
    ]
    # an account that reads no alliance counts nothing
    stranger = Actor("stranger@example.org")
    assert plausibility_uses.by_alliance(fresh_store, stranger, today).empty


def test_the_portfolio_says_how_many_values_each_alliance_has_still_to_check(isolated: str) -> None:
    at = app("en", "pages/portfolio.py", "admin@demo.example")
    table = table_with(at, "To check").set_index("Alliance")
    # the demo's values to check: Roubaix's two, Cantal's one, Sambre's pending one
    assert table["To check"].to_dict() == {
        "Cantal Voisins Solidaires": 1,
        "Diois Mobilité Partagée": 0,
        "Narbonne Terres Nourricières": 0,
        "Peterborough One Service": 0,
        "Recycl'Armor": 0,
        "Roubaix Quartiers Actifs": 2,
        "Sambre Emploi Solidaire": 1,
    }


# -- rules between indicators declared in a file --------------------------------------------------


def with_rules(rules: list[list[Any]], observations: list[list[Any]] | None = None) -> bytes:
    sheets: dict[str, list[list[Any]]] = {"alliances": [ALLIANCE], "rules": rules}
    if observations:
        sheets["observations"] = observations
    return xlsx(sheets)


def test_a_rule_declared_in_a_file_flags_the_values_that_break_it(fresh_store: Store) -> None:
    values = monthly("Alliance test", "jobs_created", [10, 30]) + monthly(
        "Alliance test", "people_supported", [12, 12]
    )
    # at most twice the people supported in jobs: 30 > 24 in February; and a rate under 50
    rules = [
        ["Alliance test", "Emplois créés", "≤", "people_supported", 2],
        ["Alliance test", "unemployment_rate", "<", 50, ""],
    ]
    content = with_rules(
        rules, [*values, ["Alliance test", "unemployment_rate", "2024", 60, "", ""]]
    )
    plan = fresh_store.check(content, "rules.xlsx", ADMIN)
    found = plausibility_uses.file_flags(fresh_store, plan, ADMIN)
    assert [(r.indicator, r.period, r.params["right_value"]) for r in found.itertuples()] == [
        ("jobs_created", "2024-02", 12.0),
        ("unemployment_rate", "2024", 50.0),
    ]
    assert set(plan.diff[plan.diff["kind"] == "rules"]["stakeholder"]) == {
        "<= 2 × people_supported",
        "< 50",
    }
    fresh_store.import_file(content, "rules.xlsx", ADMIN)
    stored = fresh_store.rules(ADMIN, "Alliance test")
    assert stored[["alliance", "left_code", "operator", "right_code", "factor"]].values.tolist()[
        0
    ] == [
        "Alliance test",
        "jobs_created",
        "<=",
        "people_supported",
        2.0,
    ]
    flagged_now = plausibility_uses.alliance_flags(fresh_store, ADMIN, "Alliance test")
    assert sorted(flagged_now["period"]) == ["2024", "2024-02"]
    # the same file again changes nothing; a new factor changes the rule; its rollback brings
    # the rule before back
    again = fresh_store.import_file(content, "rules.xlsx", ADMIN, dry_run=True)
    assert set(again.plan.diff[again.plan.diff["kind"] == "rules"]["change"]) == {"unchanged"}
    looser = with_rules([["Alliance test", "jobs_created", "<=", "people_supported", 3]])
    result = fresh_store.import_file(looser, "looser.xlsx", ADMIN)
    assert plausibility_uses.alliance_flags(fresh_store, ADMIN, "Alliance test")[
        "period"
    ].tolist() == ["2024"]
    assert result.upload_id is not None
    fresh_store.rollback(result.upload_id, ADMIN)
    assert sorted(
        plausibility_uses.alliance_flags(fresh_store, ADMIN, "Alliance test")["period"]
    ) == [
        "2024",
        "2024-02",
    ]


def test_a_rule_is_refused_with_what_to_fix(fresh_store: Store) -> None:
    fresh_store.import_file(with_rules([]), "alliance.xlsx", ADMIN)
    wrong = [
        ["Alliance test", "jobs_created", "≠", "back_to_work", ""],  # row 2
        ["Alliance test", "jobs_created", "<=", "people_supported", 0],  # row 3
        ["Alliance test", "jobs_created", "<=", "emplois perdus", ""],  # row 4
    ]
    assert [p.split(": ", 1)[1] for p in refused(fresh_store, with_rules(wrong))] == [
        "“≠” Unknown operator: write <=, <, =, >= or >.",
        "“0” The factor must be a positive number (1 by default).",
        f"“emplois perdus” {message(Problem('', 0, None, '', 'err.unknown_indicator'), 'en')}",
    ]
    # a rule for every alliance takes an admin; a lead sets one for its alliance
    lead = Actor(LEAD, roles=frozenset({("Alliance test", "lead")}))
    for_all = with_rules([["", "back_to_work", "<=", "people_supported", ""]])
    with pytest.raises(AccessDenied) as refusal:
        fresh_store.import_file(for_all, "all.xlsx", lead)
    assert said(refusal.value, "fr").startswith("Seul un administrateur pose une règle")
    mine = with_rules([["Alliance test", "back_to_work", "<=", "people_supported", ""]])
    assert fresh_store.import_file(mine, "mine.xlsx", lead).upload_id is not None


def test_the_comparison_says_which_ranked_alliances_have_values_to_check(isolated: str) -> None:
    """Roubaix's back-to-work value of February 2023 (a tenth of the usual) is to check: a
    ranking of 2023 on that indicator says so, one of 2025 does not (nor one of 2024, where
    Roubaix is not ranked: its year is not complete)."""
    at = app("en", "pages/comparison.py", "admin@demo.example")
    at.selectbox(key="comparison_alliance").select("Sambre Emploi Solidaire").run()
    at.radio(key=wkey("comparison_peer_by", at)).set_value("theme").run()
    at.selectbox(key=wkey("comparison_indicator", at)).select("back_to_work").run()
    at.selectbox(key="comparison_year").select(2023).run()
    assert not at.exception
    assert [w.value for w in at.warning if "concluding" in w.value] == [
        "Check before concluding: unusual values not yet checked in what is compared this year,"
        " for Roubaix Quartiers Actifs (see the Data page)."
    ]
    for year in (2024, 2025):
        at.selectbox(key="comparison_year").select(year).run()
        assert not [w for w in at.warning if "concluding" in w.value]


# -- timeliness -----------------------------------------------------------------------------------


def test_each_period_due_came_on_time_late_or_not_at_all() -> None:
    """Due 45 days after its end; judged from the alliance's first upload (10 January 2026):
    December 2025 ended before it. On 1 July 2026: January (due 17 March) came on 20 March,
    late; February (due 14 April) never came; March (due 15 May) came on 2 April; April (due
    14 June) never came; May is not due yet. The first quarter (due 15 May) came on 20 May."""
    arrivals = pd.DataFrame(
        {
            "alliance": "A",
            "indicator": ["jobs"] * 3 + ["people"],
            "granularity": ["month"] * 3 + ["quarter"],
            "period": ["2025-12", "2026-01", "2026-03", "2026-Q1"],
            "arrived": pd.to_datetime(["2026-01-10", "2026-03-20", "2026-04-02", "2026-05-20"]),
        }
    )
    judged = timeliness.timeliness(arrivals, dt.date(2026, 7, 1))
    assert judged[["indicator", "period", "status"]].values.tolist() == [
        ["jobs", "2026-01", "late"],
        ["jobs", "2026-02", "missing"],
        ["jobs", "2026-03", "on_time"],
        ["jobs", "2026-04", "missing"],
        ["people", "2026-Q1", "late"],
    ]
    assert judged["due"].tolist()[:2] == [dt.date(2026, 3, 17), dt.date(2026, 4, 14)]
    counted = timeliness.late_counts(judged, dt.date(2025, 7, 1))
    assert counted.to_dict("records") == [{"alliance": "A", "on_time": 1, "late": 2, "missing": 2}]
    # only what falls due since the date counts: from 1 May, March, April and the quarter
    recent = timeliness.late_counts(judged, dt.date(2026, 5, 1))
    assert recent.to_dict("records") == [{"alliance": "A", "on_time": 1, "late": 1, "missing": 1}]


def test_the_late_periods_of_an_alliance_are_counted_from_its_uploads(fresh_store: Store) -> None:
    """January's and February's values uploaded on 10 January 2024, March's on 20 May: on
    1 July, January (due 16 March) and February (due 14 April) came on time, March (due 15 May)
    late, April (due 14 June) never; May is not due."""
    fresh_store.import_file(
        workbook(monthly("Alliance test", "jobs_created", [5, 6], start=1)), "a.xlsx", ADMIN
    )
    fresh_store.import_file(
        workbook([["Alliance test", "jobs_created", "03/2024", 7, "", ""]]), "b.xlsx", ADMIN
    )
    with fresh_store.db.transaction() as cur:
        cur.execute("UPDATE upload SET uploaded_at = TIMESTAMP '2024-01-10 09:00' WHERE id = 1")
        cur.execute("UPDATE upload SET uploaded_at = TIMESTAMP '2024-05-20 09:00' WHERE id = 2")
    late = plausibility_uses.lateness(fresh_store.arrivals(ADMIN), dt.date(2024, 7, 1))
    assert late.to_dict("records") == [
        {"alliance": "Alliance test", "on_time": 2, "late": 1, "missing": 1}
    ]
    # the portfolio counts the late and the missing
    [counted] = plausibility_uses.by_alliance(fresh_store, ADMIN, dt.date(2024, 7, 1)).to_dict(
        "records"
    )
    assert counted["late"] == 2


def test_a_funder_reads_a_decision_only_on_a_value_it_reads(fresh_store: Store) -> None:
    """A value checked while its upload awaits validation: the members read the decision, the
    alliance's funder reads nothing of it (the value is not yet its to read); once the upload
    is validated, it reads both; a lead of another alliance never."""
    fresh_store.import_file(
        workbook(monthly("Alliance test", "jobs_created", [48, 50, 52])),
        "a.xlsx",
        ADMIN,
        validate=True,
    )
    pending = fresh_store.import_file(
        workbook([["Alliance test", "jobs_created", "04/2024", 5000, "", ""]]), "b.xlsx", ADMIN
    )
    lead = Actor(LEAD, roles=frozenset({("Alliance test", "lead")}))
    fresh_store.check_flag(lead, "Alliance test", "jobs_created", "", "2024-04", 5000.0, "scale")
    funder = Actor("funder@example.org", funded=frozenset({"Alliance test"}))
    other = Actor("other@example.org", roles=frozenset({("Autre alliance", "lead")}))
    assert len(fresh_store.flag_checks(lead, "Alliance test")) == 1
    assert fresh_store.flag_checks(funder, "Alliance test").empty
    assert fresh_store.flag_checks(funder).empty
    assert plausibility_uses.alliance_flags(fresh_store, funder, "Alliance test").empty
    assert fresh_store.flag_checks(other).empty
    with pytest.raises(AccessDenied):
        fresh_store.flag_checks(other, "Alliance test")
    assert pending.upload_id is not None
    fresh_store.validate(pending.upload_id, lead)
    [seen] = fresh_store.flag_checks(funder, "Alliance test").to_dict("records")
    assert (seen["value"], seen["checked_by"]) == (5000.0, LEAD)
    counted = plausibility_uses.by_alliance(fresh_store, funder, dt.date(2026, 12, 3))
    assert counted[["flagged", "checked", "open"]].values.tolist() == [[1, 1, 0]]
