"""Plotly figure builders: data in, figure out, one look everywhere.

A colour per dimension, readable titles and axis labels with units, baseline and target lines,
direction-aware colouring (green when a value moves the good way, red otherwise), French or
English labels and number formats, hover texts that say what each point is.

One module per family of pages (``dashboard``, ``stakeholders``, ``trust``, ``comparison``,
``scaling``, ``maps``, ``contracts``) over ``common``, the look they share. The builders are
named here too, so that a caller writes ``charts.radar(...)`` whatever family it is in.
"""

from __future__ import annotations

from metrics.presentation.charts.barometer import answer_spread, response_bars, type_means
from metrics.presentation.charts.common import (
    BAD,
    COLORS,
    GOOD,
    MAX_POINTS,
    NEUTRAL,
    empty,
    mode_name,
    percent_suffix,
)
from metrics.presentation.charts.comparison import (
    HIGHLIGHT,
    MAX_BARS,
    comparison_lines,
    dimension_scatter,
    peer_distribution,
    ranking_bars,
)
from metrics.presentation.charts.contracts import (
    contract_results,
    due_and_paid,
    investor_flows,
    rate_card_sensitivity,
    sensitivity_chart,
    tranche_waterfall,
)
from metrics.presentation.charts.dashboard import (
    completeness_heatmap,
    indicator_grid,
    scores_over_time,
)
from metrics.presentation.charts.maps import sites_map
from metrics.presentation.charts.scaling import reach_bars, readiness_radar, replication_bars
from metrics.presentation.charts.stakeholders import (
    change_heatmap,
    reporting_heatmap,
    stakeholder_lines,
    type_bars,
)
from metrics.presentation.charts.trust import prerequisites_lines, radar, type_gap_bars

__all__ = [
    "BAD",
    "COLORS",
    "GOOD",
    "HIGHLIGHT",
    "MAX_BARS",
    "MAX_POINTS",
    "NEUTRAL",
    "answer_spread",
    "change_heatmap",
    "comparison_lines",
    "completeness_heatmap",
    "contract_results",
    "dimension_scatter",
    "due_and_paid",
    "empty",
    "indicator_grid",
    "investor_flows",
    "mode_name",
    "peer_distribution",
    "percent_suffix",
    "prerequisites_lines",
    "radar",
    "ranking_bars",
    "rate_card_sensitivity",
    "reach_bars",
    "readiness_radar",
    "replication_bars",
    "reporting_heatmap",
    "response_bars",
    "scores_over_time",
    "sensitivity_chart",
    "sites_map",
    "stakeholder_lines",
    "tranche_waterfall",
    "type_bars",
    "type_gap_bars",
    "type_means",
]
