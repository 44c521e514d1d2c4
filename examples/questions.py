#!/usr/bin/env python3
"""Answer a few analyst questions from a zonefacts output folder with pandas (+ pyarrow).

    python examples/questions.py OUTPUT_DIR

`measures` is the fact table (one row per figure); `articles` and `zones` are dimensions,
joined on article_id and zone_id. The same questions in SQL: examples/questions.sql.
"""

import sys
from pathlib import Path

import pandas as pd

APPROVAL_TIME_KEYS = ["approval_time"]
CAPITAL_KEYS = ["registered_capital", "investment"]


def load(out: Path) -> dict:
    return {name: pd.read_parquet(out / f"{name}.parquet", engine="pyarrow")
            for name in ("articles", "measures", "zones", "entities")}


def show(title: str, df: pd.DataFrame) -> None:
    print(f"\n== {title}")
    print(df.to_string(index=False) if len(df) else "(no rows)")


def approval_time_cuts(t: dict) -> pd.DataFrame:
    """Which zones report the biggest cuts in approval time?"""
    m = t["measures"]
    cuts = m[m["measure_key"].isin(APPROVAL_TIME_KEYS) & (m["change"] == "decrease")].copy()
    cuts["zone"] = cuts["zone"].fillna("(no zone)")
    cuts["pct"] = cuts["value"].where(cuts["unit"] == "%")
    cuts["figure"] = cuts["label"] + " " + cuts["raw_text"]
    by_zone = (cuts.groupby("zone")
               .agg(biggest_cut_pct=("pct", "max"), figures=("measure_id", "size"),
                    what_the_text_says=("figure", lambda s: "; ".join(s)))
               .reset_index()
               .sort_values(["biggest_cut_pct", "figures", "zone"],
                            ascending=[False, False, True], na_position="last"))
    by_zone["what_the_text_says"] = by_zone["what_the_text_says"].str.slice(0, 70)
    return by_zone


def capital_by_zone_period(t: dict) -> pd.DataFrame:
    """Registered capital / investment by zone and period (亿 = 1e8 of the currency)."""
    m, a = t["measures"], t["articles"]
    money = m[m["measure_key"].isin(CAPITAL_KEYS) & (m["unit_kind"] == "money")]
    money = money.merge(a[["article_id", "published"]], on="article_id", how="left",
                        validate="many_to_one")
    published_year = pd.to_datetime(money["published"]).dt.year
    money = money.assign(
        zone=money["zone"].fillna("(no zone)"),
        period=money["period"].fillna(
            published_year.map(lambda y: f"{y:.0f} (published)" if pd.notna(y) else "(unknown)")),
    )
    out = (money.groupby(["zone", "measure_key", "period", "unit"])
           .agg(figures=("measure_id", "size"), total=("value", "sum"))
           .reset_index())
    out["total_yi"] = (out.pop("total") / 1e8).round(2)
    return out.rename(columns={"unit": "currency"})


def figures_per_article(t: dict) -> pd.DataFrame:
    """Figures per article: the fact table joined to the articles dimension."""
    a, m = t["articles"], t["measures"]
    counts = m.groupby("article_id").agg(figures=("measure_id", "size"),
                                         measure_keys=("measure_key", "nunique"))
    out = a[["article_id", "published", "zone", "title"]].join(counts, on="article_id")
    out[["figures", "measure_keys"]] = out[["figures", "measure_keys"]].fillna(0).astype("int64")
    out["title"] = out["title"].fillna("(untitled)").str.slice(0, 24)
    out["zone"] = out["zone"].fillna("(no zone)")
    return out.sort_values(["figures", "article_id"], ascending=[False, True])


def zones_by_articles(t: dict) -> pd.DataFrame:
    """Zones by number of articles about them, with the figures attributed to them."""
    z, a, m = t["zones"], t["articles"], t["measures"]
    about = a.dropna(subset=["zone_id"]).groupby("zone_id")["article_id"].nunique()
    figures = m.dropna(subset=["zone_id"]).groupby("zone_id").size()
    out = z[["zone_id", "zone", "province", "level"]].copy()
    out["articles"] = out["zone_id"].map(about).fillna(0).astype("int64")
    out["figures"] = out["zone_id"].map(figures).fillna(0).astype("int64")
    return (out.drop(columns="zone_id")
            .sort_values(["articles", "figures", "zone"], ascending=[False, False, True]))


def revenue_growth_by_zone_period(t: dict) -> pd.DataFrame:
    """营业收入增速 by zone and period: the subject is measure_key, the statistic stat."""
    m = t["measures"]
    return (m.query("measure_key == 'revenue' and stat == 'growth' and unit == '%'")
             .assign(zone=lambda d: d["zone"].fillna("(no zone)"),
                     period=lambda d: d["period"].fillna("(unknown)"))
             .groupby(["zone", "period"])["value"].agg(growth_pct="mean", figures="count")
             .reset_index())


def main(argv) -> int:
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = Path(argv[1])
    if not (out / "measures.parquet").is_file():
        print(f"questions.py: {out} holds no measures.parquet (not a zonefacts output folder)",
              file=sys.stderr)
        return 2
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.unicode.east_asian_width", True)  # align Chinese columns

    t = load(out)
    print(f"{out}: {len(t['articles'])} articles, {len(t['measures'])} figures, "
          f"{len(t['zones'])} zones, {len(t['entities'])} entities")
    show("Which zones report the biggest cuts in approval time?", approval_time_cuts(t))
    show("Registered capital / investment by zone and period (亿)", capital_by_zone_period(t))
    show("Figures per article", figures_per_article(t))
    show("Zones by number of articles", zones_by_articles(t))
    show("营业收入增速 by zone and period", revenue_growth_by_zone_period(t))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
