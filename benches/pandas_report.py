"""The per-station figures of `osce report`, computed with pandas and
pingouin from an exported stations.csv: what an exam office might run
instead. `cargo bench --bench archive` times it beside `osce report` when
Python has both packages (python3 -m pip install pandas pingouin).

    python3 benches/pandas_report.py stations.csv BORDERLINE_CODE

For each station: how many scored sheets, mean and SD of the score, the
borderline regression of score on the global rating's code (intercept,
slope, R², the pass mark at the borderline code), the borderline group's
mean; then Cronbach's alpha of the percentages across stations.
"""

import sys

import pandas as pd
import pingouin as pg


def main() -> None:
    path, borderline = sys.argv[1], float(sys.argv[2])
    df = pd.read_csv(path)
    df = df[df["score"].notna() & df["global_rating_code"].notna()]
    rows = []
    for station, g in df.groupby("station_id"):
        fit = pg.linear_regression(g["global_rating_code"], g["score"])
        intercept, slope = fit["coef"].iloc[0], fit["coef"].iloc[1]
        rows.append(
            {
                "station": station,
                "n": len(g),
                "mean": g["score"].mean(),
                "sd": g["score"].std(),
                "intercept": intercept,
                "slope": slope,
                "r2": fit["r2"].iloc[0],
                "pass_mark": intercept + slope * borderline,
                "borderline_group": g.loc[g["global_rating_code"] == borderline, "score"].mean(),
            }
        )
    wide = df.pivot_table(index="candidate_id", columns="station_id", values="percent")
    alpha, _ = pg.cronbach_alpha(data=wide.dropna())
    print(pd.DataFrame(rows).to_string(index=False))
    print(f"cronbach_alpha {alpha:.3f}")


if __name__ == "__main__":
    main()
