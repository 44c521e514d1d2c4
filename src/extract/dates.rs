//! The page's publication date when no metadata states it, inferred from the dates the page
//! mentions: the latest past year (not a forecast such as 预计2026年 or 到2025年, nor a year
//! whose own clause is an estimate such as 2020年…预计达到, nor history such as 2012年…以来,
//! 2020年度 or 1984年…设立), refined to the month by the latest bare `M月D日` dateline, or to
//! the day by a full `YYYY年M月D日`.

use std::sync::LazyLock;

use regex::Regex;

use crate::lexicon::Lexicon;
use crate::model::{DatePrecision, Published};

// one space may stand between a number and 年 (2025 年中国开发区营商环境建设大会)
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]{4}) ?年").expect("static regex"));
static FULL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]{4}) ?年([0-9]{1,2})月([0-9]{1,2})日").expect("static regex")
});
/// A comma, or a month or a day and a comma, right after a year (`,`, `10月,`, `10月15日,`):
/// the year is the adverbial of the clause that follows, which says what the year was.
static MONTH_AFTER_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?份?)?,").expect("static regex"));
static MONTH_DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]{1,2})月([0-9]{1,2})日").expect("static regex"));

/// A year of the last two centuries written as four digits (the caller checks what stands
/// around it).
static EVENT_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:19|20)[0-9]{2}").expect("static regex"));

/// A month and day at most, then 前 (`6月30日前`, `年底前`, `前`): what comes after a year
/// that makes its date a deadline.
static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?|底)?(?:之前|以前|前)").expect("static regex")
});

/// True when the text after a year makes its date a deadline (`2024年6月30日前投入`), not the
/// first part of the year (`2017年前三季度`, `2023年前10个月`).
fn is_deadline(after_year: &str) -> bool {
    // the cheap test first: most years are followed by no 前 near them
    after_year.char_indices().take(8).any(|(_, c)| c == '前')
        && DEADLINE.find(after_year).is_some_and(|m| {
            !after_year[m.end()..]
                .starts_with(|c: char| c.is_ascii_digit() || super::cnum::is_numeral_char(c))
        })
}

/// Words after a year that make it the year's end (截至2020年年底, 2020年末).
const YEAR_END_WORDS: [&str; 4] = ["底", "末", "年底", "年末"];

/// A year the page names, as [`infer_published_at`] weighs it.
struct YearMention {
    year: i32,
    /// Byte where the match (`2020年`) starts.
    start: usize,
    /// Byte where the match (`2020年`) ends.
    end: usize,
    /// A forecast, a target, a deadline or the base of a comparison: not today's news.
    future: bool,
    /// The year something was founded, a span's start, a report's year, a year that is over.
    history: bool,
    /// Read as of: the time a count was taken at (截至2025年4月底).
    as_of: bool,
}

/// The year of a page that is an official document, from the document's own number on a
/// line of its own (冀科发〔2012〕15号, 〔2025〕3号: the year it was issued, in brackets), the first
/// such line of `text`. A number cited inside a sentence is another document's.
pub fn document_year(text: &str) -> Option<Published> {
    text.lines().find_map(|line| {
        let year = crate::lines::document_number_year(line.trim())?;
        (1949..=2100).contains(&year).then_some(Published {
            year,
            month: 1,
            day: 1,
            precision: DatePrecision::Year,
        })
    })
}

/// Infers a publication date from the page text.
pub fn infer_published(text: &str, lex: &Lexicon) -> Option<Published> {
    infer_published_at(text, lex, None)
}

/// [`infer_published`] for a page whose dateline (`新华社北京5月18日电`, `本报讯 1月6日`) the
/// segmenter has already read, as (month, day): the dateline's year is the latest year the
/// text gives, unless the text says that year is over (a sentence reporting its results) or
/// names a later month of it, and then the page does not give its year.
pub fn infer_published_at(
    text: &str,
    lex: &Lexicon,
    page_dateline: Option<(u32, u32)>,
) -> Option<Published> {
    // a forecast (预计2026年) or the base of a comparison (较2023年末) is not today's news
    // (截至2025年4月底: the time a count was read at, not a target 至 2025)
    let as_of = |pos: usize| {
        let head = &text[..pos];
        lex.as_of_words.iter().any(|w| head.ends_with(w.as_str()))
    };
    let is_future = |pos: usize, as_of: bool| {
        let head = &text[..pos];
        (!as_of
            && lex
                .future_markers
                .iter()
                .any(|w| head.ends_with(w.as_str())))
            || super::periods::COMPARISON_BASES
                .iter()
                .any(|w| head.ends_with(w))
            // the "from" side of a from→to pair (从1997年的1300元增加到…) is a base too
            || lex.pair_from.iter().any(|w| head.ends_with(w.as_str()))
    };
    // The groups are digit runs between the literal 年/月/日, which no digit contains: they are
    // cut out of the match at those characters, without running the capture engine.
    // history is not today's news either: the year a span starts (2012年晋级国家高新区以来)
    // and the year a report or an evaluation covers (2020年度国家高新区评价结果)
    let is_history = |start: usize, end: usize| {
        let rest = &text[end..];
        let after_month = MONTH_AFTER_YEAR.find(rest).map_or(0, |m| m.end());
        let clause_of = |from: usize| {
            let r = &rest[from..];
            r.find([',', '。', ';', '\n']).map_or(r, |i| &r[..i])
        };
        // a year that opens its sentence (2010年,国务院正式批准…) is told by the clause after it
        let opener = rest.strip_prefix(',').map_or(0, |_| ','.len_utf8());
        let clause = clause_of(opener);
        // the year something was founded (1997年,示范区成立后; 始建于2003年1月; 于1984年获批
        // 建设; 1984年10月,中国设立第一个国家级经开区), but not 2023年新设立企业120家
        let head = text[..start].strip_suffix('于').unwrap_or(&text[..start]);
        let founding = |c: &str| {
            lex.founding_words.iter().any(|w| {
                c.match_indices(w.as_str())
                    .any(|(i, _)| !c[..i].ends_with('新'))
            })
        };
        let founded = lex
            .founding_words
            .iter()
            .any(|w| head.ends_with(w.as_str()))
            || founding(clause)
            || (after_month > 0 && founding(clause_of(after_month)));
        // a year whose own clause is a forecast or a target (2020年地区生产总值预计达到…,
        // 2025年力争…) is not over yet or not the page's: one-character markers (到, 至) are
        // too common inside a clause to say so
        let forecast = || {
            lex.future_markers
                .iter()
                .filter(|w| w.chars().count() >= 2)
                .any(|w| clause.contains(w.as_str()))
        };
        rest.starts_with('度') || clause.ends_with("以来") || founded || forecast()
    };
    // every year the page names, read once: (year, end of the match, a forecast or a base,
    // history)
    // a year inside a title in 《》 (《…三年行动方案(2025—2027年)》) names a plan's term, not
    // the page's date
    // (2009中国(宁夏)国际投资贸易洽谈会, 2023成都经开区…签约仪式: an event named with its
    // year before a place, no 年)
    let event_years = EVENT_YEAR.find_iter(text).filter(|m| {
        let digit_around = text[..m.start()].ends_with(|c: char| c.is_ascii_digit())
            || text[m.end()..].starts_with(|c: char| c.is_ascii_digit());
        let after = &text[m.end()..];
        !digit_around
            && (after.starts_with("中国")
                || after
                    .char_indices()
                    .skip(1)
                    .take(lex.max_place_chars)
                    .any(|(i, _)| lex.places.contains(&after[..i])))
    });
    let years: Vec<YearMention> = YEAR
        .find_iter(text)
        .chain(event_years)
        .filter(|m| !super::inside_title(text, m.start()))
        // (揭晓“2013年中国国家级产业园区…排名百强”榜单: a quoted name that opens on its year is a
        // list's or an award's name, the year it covers)
        .filter(|m| !text[..m.start()].ends_with(['“', '「']))
        .filter_map(|m| {
            let y: i32 = m.as_str().split('年').next()?.trim_end().parse().ok()?;
            let as_of = as_of(m.start());
            // (2024年6月30日前投入: a deadline, not a day that has come)
            let future = is_future(m.start(), as_of) || is_deadline(&text[m.end()..]);
            // (截至2020年年底: a count at the end of a year that is over, so the page is of a
            // later one)
            let year_over = || {
                as_of
                    && YEAR_END_WORDS
                        .iter()
                        .any(|w| text[m.end()..].starts_with(w))
            };
            Some(YearMention {
                year: y,
                start: m.start(),
                end: m.end(),
                future,
                history: !future && (is_history(m.start(), m.end()) || year_over()),
                as_of,
            })
        })
        .collect();
    let year = years
        .iter()
        .filter(|y| !y.future && !y.history && (1949..=2100).contains(&y.year))
        .map(|y| y.year)
        .max()?;
    // a full date whose year is history or not yet come (自2022年5月31日揭牌成立以来, 2024年6月30
    // 日前) is no day of the page, even when the page's year is that year
    let told_of_another_time = |start: usize| {
        years
            .iter()
            .any(|y| y.start == start && (y.future || y.history))
    };
    let full = FULL
        .find_iter(text)
        .filter(|m| !told_of_another_time(m.start()))
        .filter_map(|m| {
            let (y, rest) = m.as_str().split_once('年')?;
            let (mo, rest) = rest.split_once('月')?;
            let d = rest.strip_suffix('日')?;
            let y: i32 = y.trim_end().parse().ok()?;
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
    // the latest bare dateline (8月22日), as (month, day)
    let dateline = page_dateline.or_else(|| {
        MONTH_DAY
            .find_iter(text)
            .filter(|m| {
                let s = m.start();
                !text[..s].ends_with('年') && !text[..s].ends_with(|ch: char| ch.is_ascii_digit())
            })
            .filter_map(|m| {
                let (mo, d) = m.as_str().split_once('月')?;
                let mo: u32 = mo.parse().ok()?;
                let d: u32 = d.strip_suffix('日')?.parse().ok()?;
                ((1..=12).contains(&mo) && (1..=31).contains(&d)).then_some((mo, d))
            })
            .max()
    });
    // the months the page names in the year (2023年5月份, 2015年9月), and whether a count was
    // read as of it (截至2025年4月底)
    let year_months: Vec<(u32, bool)> = years
        .iter()
        .filter(|y| y.year == year && !y.future)
        .filter_map(|y| {
            let mo = text[y.end..].split_once('月')?.0;
            let mo = (mo.len() <= 2).then(|| mo.parse::<u32>().ok()).flatten()?;
            Some((mo, y.as_of))
        })
        .collect();
    // 人民网合肥8月21日电 … 2024年,合肥高新区上市公司合计实现总营业收入…: the year's results are
    // in, so the dateline is of a later year, which the page does not give (a December one may
    // be the year's own review)
    let year_reported = || {
        years.iter().any(|y| {
            y.year == year && !y.future && !y.history && {
                let rest = &text[y.end..];
                rest.starts_with(',') && {
                    let sentence = rest.find('。').map_or(rest, |i| &rest[..i]);
                    sentence.contains(|c: char| c.is_ascii_digit())
                        && lex
                            .year_result_verbs
                            .iter()
                            .any(|w| sentence.contains(w.as_str()))
                }
            }
        })
    };
    if dateline.is_some_and(|(month, _)| month < 12) && year_months.is_empty() && year_reported() {
        return None;
    }
    if let Some((month, day)) = dateline {
        // a dateline before the latest month named in the year (1月8日 after 2015年9月…
        // happened) is of a later year, which the page does not give
        if year_months.iter().any(|&(m, _)| m > month) {
            return None;
        }
        // the page's own dateline, a dateline in a month named with its year (2023年5月份 …
        // 5月25日) or after a month a count was read as of (截至2025年4月底 … 6月3日) is that day
        if (page_dateline.is_some()
            || year_months
                .iter()
                .any(|&(m, as_of)| m == month || (as_of && m < month)))
            && chrono::NaiveDate::from_ymd_opt(year, month, day).is_some()
        {
            return Some(Published {
                year,
                month,
                day,
                precision: DatePrecision::Day,
            });
        }
    }
    Some(match dateline.map(|(m, _)| m) {
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
    fn a_deadline_or_a_plan_is_not_the_page_s_date() {
        let lex = Lexicon::for_tests();
        // a full date with 前 after it is a deadline
        assert_eq!(
            infer_published(
                "近日,示例高新区与示例公司签约,项目预计2023年9月30日前开工建设,2024年6月30日前投入生产。",
                &lex
            ),
            None
        );
        // 将在 a year is a plan
        assert_eq!(
            infer_published(
                "本报1月24日讯 今日,示例高新区举行签约仪式,项目预计将在2020年底全部投产。",
                &lex
            ),
            None
        );
        // a day that has come stays the page's
        let p = infer_published("2024年6月30日,示例高新区举行签约仪式。", &lex).unwrap();
        assert_eq!((p.year, p.month, p.day), (2024, 6, 30));
    }

    #[test]
    fn an_event_named_with_its_year_before_a_place_gives_the_year() {
        let lex = Lexicon::for_tests();
        let p = infer_published(
            "8月22日,五个新能源项目在示例经开区奠基,为2009中国(宁夏)国际投资贸易洽谈会献礼。",
            &lex,
        )
        .unwrap();
        assert_eq!((p.year, p.month), (2009, 8));
        // a count is no year (2000余家), nor a number inside a longer one
        assert_eq!(
            infer_published("8月22日,园区集聚企业2000余家,投资12009万元。", &lex),
            None
        );
    }

    #[test]
    fn a_document_s_own_number_on_its_line_gives_the_year_it_was_issued() {
        let year = |t: &str| document_year(t).map(|p| (p.year, p.precision));
        assert_eq!(
            year("示例市人民政府文件\n示府发〔2025〕36号\n关于推进示例高新区建设的意见"),
            Some((2025, DatePrecision::Year))
        );
        assert_eq!(
            year("〔2012〕3号\n2012年上半年示例省统计公报"),
            Some((2012, DatePrecision::Year))
        );
        // a number cited in a sentence is another document's
        assert_eq!(
            year("根据《示例办法》(示政发〔2016〕12号),园区新增企业。"),
            None
        );
        assert_eq!(year("园区新增企业30家。"), None);
    }

    #[test]
    fn a_full_date_told_as_history_or_a_deadline_is_not_the_page_s_day() {
        let lex = Lexicon::for_tests();
        // the page is of 2023 or later (2022's output is in), but the day a span starts is no
        // day of the page: the year alone is what the page gives
        let p = infer_published(
            "示例农高区自2022年5月31日揭牌成立以来,加快建设。2022年,示例农高区实现产值20亿元。",
            &lex,
        )
        .unwrap();
        assert_eq!((p.year, p.precision), (2022, DatePrecision::Year));
        // a deadline's day neither
        let p = infer_published(
            "2024年,示例高新区新增企业30家。项目须于2024年6月30日前投产。",
            &lex,
        )
        .unwrap();
        assert_eq!((p.year, p.precision), (2024, DatePrecision::Year));
        // the day news happened still dates the page
        let p = infer_published("2024年3月5日,示例高新区举行签约仪式。", &lex).unwrap();
        assert_eq!((p.year, p.month, p.day), (2024, 3, 5));
    }

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
        // the day the State Council approved or upgraded a zone is its history
        assert_eq!(
            infer_published(
                "示例高新区始建于1992年,2000年2月13日,被国务院批准为国家级开发区。",
                &lex
            ),
            None
        );
        assert_eq!(
            infer_published(
                "2010年12月18日,经国务院批准,示例高新区正式成为国家高新区。",
                &lex
            ),
            None
        );
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
    fn the_first_part_of_a_year_is_no_deadline() {
        let lex = Lexicon::for_tests();
        // 前三季度 (the first three quarters) is data of that year, not a time limit
        let p = infer_published("2017年前三季度,示例高新区营业收入增长12%。", &lex).unwrap();
        assert_eq!((p.year, p.precision), (2017, DatePrecision::Year));
        let p = infer_published("2023年前10个月,示例经开区新增企业800家。", &lex).unwrap();
        assert_eq!(p.year, 2023);
        // 2024年6月30日前 is one
        assert_eq!(
            infer_published("项目须在2024年6月30日前投入使用。", &lex),
            None
        );
    }

    #[test]
    fn a_year_opening_a_quoted_name_is_no_date() {
        let lex = Lexicon::for_tests();
        let text = "示例报12月8日讯 日前,某研究院揭晓“2013年中国产业园区竞争力排名百强”榜单,示例经开区榜上有名。";
        assert_eq!(infer_published(text, &lex), None);
        // the year outside the quotes still dates the page
        let text = "示例报12月8日讯 2013年,示例经开区入选“中国产业园区竞争力排名百强”榜单。";
        assert_eq!(infer_published(text, &lex).map(|p| p.year), Some(2013));
    }

    #[test]
    fn a_year_whose_results_are_reported_is_over() {
        let lex = Lexicon::for_tests();
        // the year's results are in: the dateline's day is of a later year, not given
        let text = "示例网8月21日电 2024年,示例高新区上市公司合计实现营业收入1796亿元。";
        assert_eq!(infer_published(text, &lex), None);
        // a December review may be the year's own
        let text = "示例网12月20日电 2018年,示例经开区完成固定资产投资120亿元。";
        assert_eq!(infer_published(text, &lex).map(|p| p.year), Some(2018));
        // news of the year, not its results, keeps the year
        let text = "示例网8月21日电 2024年,示例高新区将举办第三届创新大会。";
        assert_eq!(infer_published(text, &lex).map(|p| p.year), Some(2024));
    }

    #[test]
    fn a_dateline_read_by_the_segmenter_is_weighed_the_same_way() {
        let lex = Lexicon::for_tests();
        // the body reports a whole year's results: the dateline (5月18日) is of a later year
        let text = "2022年,示例经开区工业产值360亿元,外贸完成34.3亿元。";
        assert_eq!(infer_published_at(text, &lex, Some((5, 18))), None);
        // news of the year keeps the dateline's day in that year
        let text = "2022年,示例经开区举办创新大会,签约项目12个。";
        let p = infer_published_at(text, &lex, Some((5, 18))).unwrap();
        assert_eq!(
            (p.year, p.month, p.day, p.precision),
            (2022, 5, 18, DatePrecision::Day)
        );
        // a later month of the year already past: the dateline is of a later year
        let text = "2022年9月,示例高新区新签项目12个。";
        assert_eq!(infer_published_at(text, &lex, Some((3, 2))), None);
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

    #[test]
    fn a_founding_year_or_a_base_year_dates_no_page() {
        let lex = Lexicon::for_tests();
        for text in [
            "1984年,首批国家级经开区设立,至今已40年。",
            "“1984年10月,中国设立第一个国家级经济技术开发区。",
            "开发区始建于2003年1月,今年7月30日升级。",
            "园区于1984年获批建设。",
            "农民人均收入从1997年的1300元增加到9000元。",
        ] {
            assert_eq!(infer_published(text, &lex), None, "{text}");
        }
        // 新设立 counts new firms: the year is today's news
        let p = infer_published("2023年,园区新设立企业1200家。", &lex).unwrap();
        assert_eq!((p.year, p.precision), (2023, DatePrecision::Year));
        // one space may stand before 年
        let p = infer_published("9月7日,2025 年开发区大会召开。", &lex).unwrap();
        assert_eq!((p.year, p.month), (2025, 9));
    }

    #[test]
    fn a_dateline_is_read_against_the_months_the_year_names() {
        let lex = Lexicon::for_tests();
        // 1月8日 after 2015年9月 happened is of a later year the page does not give
        assert_eq!(
            infer_published(
                "1月8日,园区举行现场会。2015年9月,园区升级为国家高新区。",
                &lex
            ),
            None
        );
        // 5月25日 in 2023年5月份 is that day
        let p = infer_published(
            "5月25日上午,高新区举行2023年5月份重点项目集中开工动员会。",
            &lex,
        )
        .unwrap();
        assert_eq!(
            (p.year, p.month, p.day, p.precision),
            (2023, 5, 25, DatePrecision::Day)
        );
        // 6月3日 after a count as of 2025年4月底 is a day of 2025: 截至 is no target (至)
        let p = infer_published(
            "6月3日,示例高新区举行新闻发布会。截至2025年4月底,示例高新区共有民营企业7260户。",
            &lex,
        )
        .unwrap();
        assert_eq!(
            (p.year, p.month, p.day, p.precision),
            (2025, 6, 3, DatePrecision::Day)
        );
        // a count as of a year's end is of a year that is over: it dates no page
        assert_eq!(
            infer_published(
                "8月17日,示例高新区入选百强。截至2020年年底,国家高新区共计169家。",
                &lex
            ),
            None
        );
    }
}
