"""The batch duplicate task with Splink on DuckDB, for comparison with apps.enterprises.clustering.

Splink (Fellegi–Sunter, unsupervised) gets the same normalised parts of each name as ours
(``parse_name``: core = 字号 + 行业, 字号, region, organisation form class) and the USCC. DuckDB's
string metrics count UTF-8 bytes, not characters (research: anchors-entity-resolution §1.5), so
the core is compared as exact, then by the Jaccard similarity of its character-bigram arrays
(computed in Python, compared with DuckDB list functions); a branch's own part (深圳分公司) is a
column of its own, so that a branch and its parent, which share a core, can disagree. Blocking: exact core, exact USCC,
字号 within one province. Training: λ from deterministic rules, u by random sampling, m by two EM
sessions. Pairs at match probability ≥ 0.5 are predicted and clustered at ≥ 0.9 (and at ≥ 0.5).

Needs the optional extra: ``pip install -e .[bench]``.
"""

import time

from apps.enterprises.matching.normalize import parse_name

PREDICT_THRESHOLD = 0.5
CLUSTER_THRESHOLDS = (0.9, 0.5)


def rows(records) -> dict[str, list]:
    """Columns for DuckDB: the parsed parts of every record's name."""
    columns: dict[str, list] = {
        k: [] for k in ("unique_id", "core", "bigrams", "trade", "region", "province", "legal_class", "branch", "uscc")
    }
    for record in records:
        parsed = parse_name(record.name)
        region = _most_specific(parsed.regions)
        core = parsed.core or None
        columns["unique_id"].append(record.id)
        columns["core"].append(core)
        columns["bigrams"].append([core[i : i + 2] for i in range(len(core) - 1)] if core else [])
        columns["trade"].append(parsed.trade_name or None)
        columns["region"].append(region)
        columns["province"].append(region[:2] if region else None)
        columns["legal_class"].append(parsed.legal_class or None)
        columns["branch"].append(parsed.branch or "-")  # never null: a branch and its parent must disagree
        columns["uscc"].append(record.uscc or None)
    return columns


def _most_specific(codes: tuple[str, ...]) -> str | None:
    """The region code with the most digits in use (深圳市 440300 over 广东省 440000)."""
    return max(codes, key=lambda code: len(code.rstrip("0")), default=None) if codes else None


def jaccard(threshold: float) -> str:
    return (
        "len(list_intersect(bigrams_l, bigrams_r)) / "
        f"greatest(len(list_distinct(list_concat(bigrams_l, bigrams_r))), 1) >= {threshold}"
    )


def settings():
    import splink.comparison_level_library as cll
    from splink import SettingsCreator, block_on
    from splink import comparison_library as cl

    core = cl.CustomComparison(
        comparison_levels=[
            cll.NullLevel("core"),
            cll.ExactMatchLevel("core", term_frequency_adjustments=True),
            cll.CustomLevel(jaccard(0.6), "bigram Jaccard ≥ 0.6"),
            cll.CustomLevel(jaccard(0.4), "bigram Jaccard ≥ 0.4"),
            cll.ElseLevel(),
        ],
        output_column_name="core",
    )
    region = cl.CustomComparison(
        comparison_levels=[
            cll.NullLevel("region"),
            cll.ExactMatchLevel("region"),
            cll.ExactMatchLevel("province"),
            cll.ElseLevel(),
        ],
        output_column_name="region",
    )
    uscc = cl.ExactMatch("uscc")
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[core, region, cl.ExactMatch("legal_class"), cl.ExactMatch("branch"), uscc],
        blocking_rules_to_generate_predictions=[block_on("core"), block_on("uscc"), block_on("trade", "province")],
        retain_intermediate_calculation_columns=False,
    )


#: comparison → m probability of disagreeing, set by hand after training (the rules ours applies too)
RULES = {"uscc": 0.001, "branch": 0.001}


def with_rules(model: dict) -> dict:
    """The trained model with two rules made strong evidence against a match.

    Two different USCCs are never one enterprise: EM cannot learn it here, as no twin carries a
    code. A branch is never its parent: EM takes the many branch–parent pairs (same core, same
    region) for matches and learns the opposite.
    """
    for comparison in model["comparisons"]:
        disagree = RULES.get(comparison["output_column_name"])
        if disagree is not None:
            exact, other = (level for level in comparison["comparison_levels"] if not level.get("is_null_level"))
            exact["m_probability"] = 1 - disagree
            other["m_probability"] = disagree
            if comparison["output_column_name"] == "uscc":  # random sampling never meets two equal codes
                exact["u_probability"], other["u_probability"] = 1e-7, 1 - 1e-7
    return model


def run(records, truth: set[tuple[int, int]]) -> list[tuple[str, ...]]:
    """Train, predict and cluster; rows of the batch table (label, seconds, pairs, …, precision, recall)."""
    import logging

    import pyarrow as pa
    from splink import DuckDBAPI, Linker, block_on
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    logging.getLogger("splink").setLevel(logging.ERROR)  # "exact match on uscc not observed": see with_rules
    started = time.perf_counter()
    table = pa.table(rows(records))
    prepared = time.perf_counter()
    frame = DuckDBAPI().register(table, dataset_display_name="enterprises")
    config = settings()
    linker = Linker(frame, config, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("core", "region"), block_on("uscc")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("core", "branch"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("trade"))
    linker = Linker(frame, with_rules(linker.misc.save_model_to_json()), log_level=logging.WARNING)
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=PREDICT_THRESHOLD)
    predicted = time.perf_counter()
    pairs = predictions.as_duckdbpyrelation().count("*").fetchall()[0][0]
    counted = count_comparisons_from_blocking_rules(
        frame,
        blocking_rules=config.blocking_rules_to_generate_predictions,
        link_type="dedupe_only",
        record_sample_proportion=1.0,
    )
    last = counted[-1]
    compared = last["cumulative_comparison_count"] if isinstance(last, dict) else last.cumulative_comparison_count
    found_rows = []
    for threshold in CLUSTER_THRESHOLDS:
        clustering = time.perf_counter()
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
        members = (
            clusters.as_duckdbpyrelation()
            .aggregate("cluster_id, list(unique_id) AS ids")
            .filter("len(ids) > 1")
            .fetchall()
        )
        finished = time.perf_counter()
        precision, recall = _score(members, truth)
        wall = (
            finished - started
            if threshold == CLUSTER_THRESHOLDS[0]
            else (predicted - started) + (finished - clustering)
        )
        label = (
            f"Splink {_version()} + DuckDB，聚类阈值 {threshold}（{len(records):,} 条；准备 {prepared - started:.0f} 秒，"
            f"训练 {trained - prepared:.0f} 秒，预测 {predicted - trained:.0f} 秒，聚类 {finished - clustering:.0f} 秒）"
        )
        found_rows.append(
            (
                label,
                f"{wall:.1f}",
                f"{compared:,}",
                f"{pairs:,}（p ≥ {PREDICT_THRESHOLD}）",
                "—",
                f"{len(members):,}",
                f"{precision:.3f}",
                f"{recall:.3f}",
            )
        )
    return found_rows


def _score(members, truth: set[tuple[int, int]]) -> tuple[float, float]:
    found = set()
    for _cluster, ids in members:
        ordered = sorted(ids)
        found.update((a, b) for n, a in enumerate(ordered) for b in ordered[n + 1 :])
    right = len(found & truth)
    return (right / len(found) if found else 0.0), (right / len(truth) if truth else 0.0)


def _version() -> str:
    from importlib.metadata import version

    return version("splink")
