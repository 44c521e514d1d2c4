//! The page's publication date when no metadata states it, inferred from the dates the page
//! mentions: the latest past year (not a forecast such as 预计2026年 or 到2025年), refined to the
//! month by the latest bare `M月D日` dateline, or to the day by a full `YYYY年M月D日`.

use std::sync::LazyLock;

use regex::Regex;

use crate::lexicon::Lexicon;
use crate::model::{DatePrecision, Published};

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{4})年").expect("static regex"));
static FULL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})年(\d{1,2})月(\d{1,2})日").expect("static regex"));
static MONTH_DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,2})月(\d{1,2})日").expect("static regex"));

/// Infers a publication date from the page text.
pub fn infer_published(text: &str, lex: &Lexicon) -> Option<Published> {
    let is_future = |pos: usize| {
        let head = &text[..pos];
        lex.future_markers
            .iter()
            .any(|w| head.ends_with(w.as_str()))
    };
    let year = YEAR
        .captures_iter(text)
        .filter(|c| !is_future(c.get(0).map_or(0, |m| m.start())))
        .filter_map(|c| c[1].parse::<i32>().ok())
        .filter(|y| (1949..=2100).contains(y))
        .max()?;
    let full = FULL
        .captures_iter(text)
        .filter_map(|c| {
            let y: i32 = c[1].parse().ok()?;
            let m: u32 = c[2].parse().ok()?;
            let d: u32 = c[3].parse().ok()?;
            chrono::NaiveDate::from_ymd_opt(y, m, d)?;
            (y == year).then_some((m, d))
        })
        .max();
    if let Some((month, day)) = full {
        return Some(Published {
            year,
            month,
            day,
            precision: DatePrecision::Day,
        });
    }
    let month = MONTH_DAY
        .captures_iter(text)
        .filter(|c| {
            let s = c.get(0).map_or(0, |m| m.start());
            !text[..s].ends_with('年') && !text[..s].ends_with(|ch: char| ch.is_ascii_digit())
        })
        .filter_map(|c| c[1].parse::<u32>().ok())
        .filter(|m| (1..=12).contains(m))
        .max();
    Some(match month {
        Some(month) => Published {
            year,
            month,
            day: 1,
            precision: DatePrecision::Month,
        },
        None => Published {
            year,
            month: 1,
            day: 1,
            precision: DatePrecision::Year,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_and_month_from_datelines() {
        let lex = Lexicon::for_tests();
        let p = infer_published(
            "8月22日,举行发布会。2024年,平台上线。预计2026年建成。到2025年,推动一批专利。8月27日,成立工作室。",
            &lex,
        )
        .unwrap();
        assert_eq!(
            (p.year, p.month, p.precision),
            (2024, 8, DatePrecision::Month)
        );
    }

    #[test]
    fn year_only_and_nothing() {
        let lex = Lexicon::for_tests();
        let p = infer_published("2021年,沈阳高新区牢固树立理念。", &lex).unwrap();
        assert_eq!((p.year, p.precision), (2021, DatePrecision::Year));
        assert_eq!(infer_published("没有日期的页面", &lex), None);
    }
}
