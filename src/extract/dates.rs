//! The page's publication date when no metadata states it, inferred from the dates the page
//! mentions: the latest past year (not a forecast such as 预计2026年 or 到2025年, nor a year whose own clause is an estimate (2020年…预计达到), nor history
//! such as 2012年…以来 or 2020年度), refined to the month by the latest bare `M月D日`
//! dateline, or to the day by a full `YYYY年M月D日`.

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
    // a forecast (预计2026年) or the base of a comparison (较2023年末) is not today's news
    let is_future = |pos: usize| {
        let head = &text[..pos];
        lex.future_markers
            .iter()
            .any(|w| head.ends_with(w.as_str()))
            || super::periods::COMPARISON_BASES
                .iter()
                .any(|w| head.ends_with(w))
    };
    // The groups are digit runs between the literal 年/月/日, which no digit contains: they are
    // cut out of the match at those characters, without running the capture engine.
    // history is not today's news either: the year a span starts (2012年晋级国家高新区以来)
    // and the year a report or an evaluation covers (2020年度国家高新区评价结果)
    let is_history = |end: usize| {
        let rest = &text[end..];
        let clause = rest
            .find([',', '。', ';', '\n'])
            .map_or(rest, |i| &rest[..i]);
        // a year whose own clause is a forecast or a target (2020年地区生产总值预计达到…,
        // 2025年力争…) is not over yet or not the page's: one-character markers (到, 至) are
        // too common inside a clause to say so
        let forecast = || {
            lex.future_markers
                .iter()
                .filter(|w| w.chars().count() >= 2)
                .any(|w| clause.contains(w.as_str()))
        };
        rest.starts_with('度') || clause.ends_with("以来") || forecast()
    };
    let year = YEAR
        .find_iter(text)
        .filter(|m| !is_future(m.start()) && !is_history(m.end()))
        .filter_map(|m| m.as_str().split('年').next()?.parse::<i32>().ok())
        .filter(|y| (1949..=2100).contains(y))
        .max()?;
    let full = FULL
        .find_iter(text)
        .filter_map(|m| {
            let (y, rest) = m.as_str().split_once('年')?;
            let (mo, rest) = rest.split_once('月')?;
            let d = rest.strip_suffix('日')?;
            let y: i32 = y.parse().ok()?;
            let m: u32 = mo.parse().ok()?;
            let d: u32 = d.parse().ok()?;
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
        .find_iter(text)
        .filter(|m| {
            let s = m.start();
            !text[..s].ends_with('年') && !text[..s].ends_with(|ch: char| ch.is_ascii_digit())
        })
        .filter_map(|m| m.as_str().split('月').next()?.parse::<u32>().ok())
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
    fn history_is_not_the_page_s_year() {
        let lex = Lexicon::for_tests();
        // the year a span starts and the year an evaluation covers date no news
        assert_eq!(
            infer_published("徐州高新区2012年晋级国家高新区以来,坚持创新驱动。", &lex),
            None
        );
        let p = infer_published(
            "科技部公布了2020年度国家高新区评价结果。2019年以来,园区新增企业80户。2021年,园区营收增长。",
            &lex,
        )
        .unwrap();
        assert_eq!(p.year, 2021);
    }

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
        // an estimate for a year is made after it or at its end: no date of the page
        assert_eq!(
            infer_published(
                "2020年地区生产总值预计达到420亿元,比2019年增长5.86%。",
                &lex
            ),
            None
        );
        assert_eq!(
            infer_published(
                "截至9月,市场主体存量为36581户,较2023年末净增11152户。",
                &lex
            ),
            None
        );
    }
}
