//! The time a figure refers to, when its sentence says it: `2021年` → `2021`,
//! `今年1-2月` → `2021-01/2021-02` (relative to the publication year), `2005年-2024年6月` →
//! `2005/2024-06`, `“十三五”以来` → `2016/..`, `截至目前` → `../2022-01-20`. ISO 8601 dates and
//! intervals, so BI tools can parse them.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Published;

/// Time expressions: the alternatives below, tried in order at each position.
const TIME_EXPR_PATTERN: &str = concat!(
    r"(?P<span>(?P<y1>[0-9]{4})年(?:(?P<m1>[0-9]{1,2})月)?[-—至到~]+(?P<y2>[0-9]{4})年(?:(?P<m2>[0-9]{1,2})月)?)",
    r"|(?P<ymm>(?:(?P<y3>[0-9]{4})年|(?P<rel>今年|去年|前年|当年|同年))?(?P<ma>[0-9]{1,2})[-—至到~]+(?P<mb>[0-9]{1,2})月(?:份)?)",
    r"|(?P<firstn>(?:(?P<y7>[0-9]{4})年|(?P<rel4>今年|去年|前年))?前(?P<mn>[0-9]{1,2}|[一二两三四五六七八九十]{1,2})(?:个|個)?月)",
    r"|(?P<ym>(?:(?P<y4>[0-9]{4})年|(?P<rel2>今年|去年|前年))?(?P<mc>[0-9]{1,2})月(?P<mday>[0-9]{1,2}[日号])?(?:份)?(?:以来)?)",
    r"|(?P<half>(?:(?P<y5>[0-9]{4})年|(?P<rel3>今年|去年))?(?P<part>上半年|下半年|一季度|二季度|三季度|四季度|前三季度))",
    r"|(?P<plan>“?(?P<plan_name>十二五|十三五|十四五|十五五)”?(?P<plan_rel>以来|期间|时期|起步之年|开局之年|开局年|收官之年|收官年)?)",
    r"|(?P<y>(?P<y6>[0-9]{4})年(?:以来|全年|底|末|初)?)",
    r"|(?P<relyear>今年|去年|前年|全年)",
    r"|(?P<todate>截至目前|截至今年|截至当前|目前|截至[0-9]{1,2}月(?:底|末)?)",
);

/// What may stand before a time that opens an earlier clause of the sentence and still dates
/// the figure (在“十四五”起步之年, 截至2021年底); anything else (预计, 于…成立) makes the time
/// the date of that clause's own event.
const CLAUSE_OPENERS: &[&str] = &["", "在", "截至", "截止", "自", "从", "其中", "而"];
/// Words right before a time in a sentence's first clause that make it the date of that
/// clause's own event or plan, not of the figures after it.
/// Words right before a time that make it the base of a comparison (较2023年末净增11152户,
/// 比2020年增长): history, neither the figure's period nor the page's date.
pub const COMPARISON_BASES: &[&str] = &["较", "比", "相比", "对比", "与", "同"];
const EVENT_DATE_MARKERS: &[&str] = &[
    "于", "预计", "计划", "力争", "争取", "将", "到", "至", "目标", "预期",
];

static TIME_EXPR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(TIME_EXPR_PATTERN).expect("static regex"));
/// [`TIME_EXPR`] anchored at the start of the text: the same match as `TIME_EXPR.find` when
/// that one starts at 0, found without scanning the rest of the text.
static TIME_EXPR_AT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{TIME_EXPR_PATTERN})")).expect("static regex"));

fn plan_years(name: &str) -> Option<(i32, i32)> {
    Some(match name {
        "十二五" => (2011, 2015),
        "十三五" => (2016, 2020),
        "十四五" => (2021, 2025),
        "十五五" => (2026, 2030),
        _ => return None,
    })
}

fn rel_year(word: &str, pub_year: Option<i32>) -> Option<i32> {
    let y = pub_year?;
    match word {
        "今年" | "当年" | "同年" | "全年" => Some(y),
        "去年" => Some(y - 1),
        "前年" => Some(y - 2),
        _ => None,
    }
}

fn ym(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

/// `s` without the time expressions at its start (`“十三五”期间`, `2021年`, `今年1-2月`, and
/// a date then the period it opens on: `1月10日,2025年一季度`).
pub fn strip_leading_time(s: &str) -> &str {
    let mut s = s;
    for _ in 0..MAX_LEADING_TIMES {
        match TIME_EXPR_AT_START.find(s) {
            Some(m) if m.end() > 0 => s = s[m.end()..].trim_start_matches(['”', ',', ' ']),
            _ => break,
        }
    }
    s
}

/// Most time expressions in a row stripped from a text's start.
const MAX_LEADING_TIMES: usize = 3;

/// The time expression `s` opens with, if any (`今年前4月` of `今年前4月,开发区完成…`).
pub fn leading_time(s: &str) -> Option<&str> {
    TIME_EXPR_AT_START.find(s).map(|m| m.as_str())
}

/// True when `text` holds a time expression. The pattern has no anchors or look-around, so a
/// text without one has none in any of its parts: [`period_before`] of any head of it is
/// `None`.
pub fn mentions_time(text: &str) -> bool {
    TIME_EXPR.is_match(text)
}

/// A month followed by the time that passed after it (`去年6月中药板块投产后,仅半年时间就完成了
/// 5个产品`): the figures after it cover that stretch, not the month alone.
static ELAPSED_AFTER_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<m>[0-9]{1,2})月[^,;:。]{0,24}?(?:之后|以后|后)[,]?(?:仅|仅用|用了|短短|不到)?(?:(?P<half>半年)|(?P<n>[0-9]{1,2})个月)",
    )
    .expect("static regex")
});

/// The period of the figure at byte `fig_at` of `sentence`: [`period_before`] of the text before
/// it, stretched when a month is followed by the time that passed after it (`6月投产后,仅半年时间`
/// → `2020-06/2020-12`), which dates the figures from that duration on.
pub fn period_of(sentence: &str, fig_at: usize, published: Option<Published>) -> Option<String> {
    let base = period_before(&sentence[..fig_at], published)?;
    let Some(c) = ELAPSED_AFTER_MONTH.captures(sentence) else {
        return Some(base);
    };
    let (Some(whole), Some(m)) = (c.get(0), c.name("m")) else {
        return Some(base);
    };
    // the month must be the one that dated the figure, and the duration must come before it
    // or be it
    let (year, month) = base.split_once('-')?;
    let is_the_month = m.as_str().parse::<u32>().ok() == month.parse().ok();
    if whole.start() >= fig_at || whole.end() > fig_at + "12个月".len() || !is_the_month {
        return Some(base);
    }
    let months = match (c.name("half"), c.name("n")) {
        (Some(_), _) => 6,
        (None, Some(n)) => n.as_str().parse::<u32>().ok()?,
        _ => return Some(base),
    };
    let (y, m0) = (year.parse::<i32>().ok()?, month.parse::<u32>().ok()?);
    // 6月 + 半年 → 6月 to 12月; 9月 + 半年 → 9月 to next year's 3月
    let end = m0 + months;
    let (y2, m2) = (y + ((end - 1) / 12) as i32, (end - 1) % 12 + 1);
    Some(format!("{}/{}", ym(y, m0), ym(y2, m2)))
}

/// The period of a figure starting at byte `fig_start` of `sentence` (the sentence's own
/// text up to the figure): the nearest time expression before the figure.
pub fn period_before(sentence_head: &str, published: Option<Published>) -> Option<String> {
    let pub_year = published.map(|p| p.year);
    let mut last: Option<String> = None;
    // A time in the figure's own clause is the figure's, and so is one that opens a clause
    // before it (2021年,… / 2020年桂林高新区总产值突破300亿元,同比增长12% / 数据显示,2005年
    // -2024年6月,…). One inside another clause (预计2026年建成启用,可提供2000个就业岗位; 于2018
    // 年3月成立了研发中心,现有研发人员18人) dates that clause's event, not the figure.
    let is_delim = |c: char| matches!(c, ',' | ';' | ':' | '。');
    let own_clause_start = sentence_head.rfind(is_delim).map_or(0, |i| {
        i + sentence_head[i..].chars().next().map_or(1, char::len_utf8)
    });
    for c in TIME_EXPR.captures_iter(sentence_head) {
        let Some(whole) = c.get(0) else { continue };
        // 《…三年行动方案(2025—2027年)》: a plan's term inside its title dates no figure
        if super::inside_title(sentence_head, whole.start()) {
            continue;
        }
        if COMPARISON_BASES
            .iter()
            .any(|w| sentence_head[..whole.start()].ends_with(w))
        {
            continue;
        }
        if whole.start() < own_clause_start {
            let clause_start = sentence_head[..whole.start()]
                .rfind(is_delim)
                .map_or(0, |i| {
                    i + sentence_head[i..].chars().next().map_or(1, char::len_utf8)
                });
            let opener = sentence_head[clause_start..whole.start()].trim_start_matches(['“', ' ']);
            // in the sentence's first clause a time dates what follows (举办2020年…招聘会,组织
            // 近40家企业), unless it is a plan or an event's own date (预计2026年, 于2018年)
            let dates_sentence =
                clause_start == 0 && !EVENT_DATE_MARKERS.iter().any(|w| opener.ends_with(w));
            if !dates_sentence && !CLAUSE_OPENERS.contains(&opener) {
                continue;
            }
        }
        let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i64>().ok());
        let year_or_rel = |yname: &str, rname: &str| -> Option<i32> {
            num(yname)
                .map(|v| v as i32)
                .or_else(|| c.name(rname).and_then(|m| rel_year(m.as_str(), pub_year)))
        };
        let p = if c.name("span").is_some() {
            let (y1, y2) = (num("y1")? as i32, num("y2")? as i32);
            let a = match num("m1") {
                Some(m) => ym(y1, m as u32),
                None => format!("{y1:04}"),
            };
            let b = match num("m2") {
                Some(m) => ym(y2, m as u32),
                None => format!("{y2:04}"),
            };
            Some(format!("{a}/{b}"))
        } else if c.name("ymm").is_some() {
            // 1-5月 without a year: this year's, the page's
            let Some(y) = year_or_rel("y3", "rel").or(pub_year) else {
                continue;
            };
            let (a, b) = (num("ma")? as u32, num("mb")? as u32);
            if !(1..=12).contains(&a) || !(a..=12).contains(&b) {
                continue;
            }
            Some(format!("{}/{}", ym(y, a), ym(y, b)))
        } else if c.name("firstn").is_some() {
            // 今年前4个月, 前三个月: the year's first N months
            let Some(y) = year_or_rel("y7", "rel4").or(pub_year) else {
                continue;
            };
            let n = c
                .name("mn")
                .and_then(|m| super::cnum::small_whole_number(m.as_str()))
                .unwrap_or(0);
            if !(1..=12).contains(&n) {
                continue;
            }
            Some(format!("{}/{}", ym(y, 1), ym(y, n)))
        } else if c.name("ym").is_some() {
            let stated = year_or_rel("y4", "rel2");
            let bare = c.name("y4").is_none() && c.name("rel2").is_none();
            if bare && c.name("mday").is_some() {
                // 8月22日: the date of an event, not the time a figure covers
                continue;
            }
            // 6月份 without a year: this year's, the page's
            let Some(y) = stated.or(pub_year.filter(|_| bare)) else {
                continue;
            };
            let m = num("mc")? as u32;
            if !(1..=12).contains(&m) {
                continue;
            }
            if c.get(0).is_some_and(|m| m.as_str().ends_with("以来")) {
                // 今年3月以来: from that month to the page's
                published
                    .filter(|p| (p.year, p.month) > (y, m))
                    .map(|p| format!("{}/{}", ym(y, m), ym(p.year, p.month)))
            } else {
                Some(ym(y, m))
            }
        } else if c.name("half").is_some() {
            let y = year_or_rel("y5", "rel3").or(pub_year)?;
            let (a, b) = match c.name("part").map(|m| m.as_str()) {
                Some("上半年") => (1, 6),
                Some("下半年") => (7, 12),
                Some("一季度") => (1, 3),
                Some("二季度") => (4, 6),
                Some("三季度") => (7, 9),
                Some("四季度") => (10, 12),
                Some("前三季度") => (1, 9),
                _ => continue,
            };
            Some(format!("{}/{}", ym(y, a), ym(y, b)))
        } else if let Some(name) = c.name("plan_name") {
            let (a, b) = plan_years(name.as_str())?;
            match c.name("plan_rel").map(|m| m.as_str()) {
                Some("起步之年" | "开局之年" | "开局年") => Some(format!("{a:04}")),
                Some("收官之年" | "收官年") => Some(format!("{b:04}")),
                // “十三五”以来 and “十三五”期间 both cover the plan's years
                Some(_) => Some(format!("{a}/{b}")),
                // a plan named without 以来/期间 is a name (“十四五”规划), not a period
                None => continue,
            }
        } else if c.name("y").is_some() {
            let y = num("y6")? as i32;
            if !(1949..=2100).contains(&y) {
                continue;
            }
            let whole = c.get(0).map_or("", |m| m.as_str());
            if whole.ends_with("以来") {
                // 2012年以来: from that year to the page's
                pub_year
                    .filter(|&p| p > y)
                    .map(|p| format!("{y:04}/{p:04}"))
            } else if whole.ends_with('底') || whole.ends_with('末') {
                // 截至2021年底: a stock at the end of the year
                Some(ym(y, 12))
            } else {
                Some(format!("{y:04}"))
            }
        } else if let Some(w) = c.name("relyear") {
            // 2019年,高新区…,全年实现…: the whole of the year the sentence has named, not the
            // page's
            match last.as_deref() {
                Some(year) if w.as_str() == "全年" && year.len() == 4 => Some(year.to_string()),
                _ => rel_year(w.as_str(), pub_year).map(|y| format!("{y:04}")),
            }
        } else if let Some(t) = c.name("todate") {
            // 截至6月底: that month of the page's year; 截至目前, 目前: no time is stated
            let month = t
                .as_str()
                .strip_prefix("截至")
                .map(|r| r.trim_end_matches(['底', '末']))
                .and_then(|r| r.strip_suffix('月'))
                .and_then(|m| m.parse::<u32>().ok());
            match (month, pub_year) {
                (Some(m), Some(y)) if (1..=12).contains(&m) => Some(ym(y, m)),
                _ => {
                    last = None;
                    continue;
                }
            }
        } else {
            None
        };
        if p.is_some() {
            last = p;
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DatePrecision;

    fn pub2021() -> Option<Published> {
        Some(Published {
            year: 2021,
            month: 3,
            day: 1,
            precision: DatePrecision::Month,
        })
    }

    #[test]
    fn a_date_then_the_period_it_opens_on_are_both_stripped() {
        assert_eq!(
            strip_leading_time("1月10日,2025年一季度全市重大项目集中开工"),
            "全市重大项目集中开工"
        );
        assert_eq!(strip_leading_time("2021年,开发区完成"), "开发区完成");
        assert_eq!(strip_leading_time("开发区完成"), "开发区完成");
    }

    #[test]
    fn periods() {
        let p = pub2021();
        // the year's first months, in digits or words, in either script
        for (head, want) in [
            ("今年前4个月,开发区完成工业投资", "2021-01/2021-04"),
            ("今年前4個月實現工業產值", "2021-01/2021-04"),
            ("前三个月,全县上下完成", "2021-01/2021-03"),
            ("2019年前10个月,示范区收入", "2019-01/2019-10"),
        ] {
            assert_eq!(period_before(head, p).as_deref(), Some(want), "{head}");
        }
        assert_eq!(
            period_before("今年1-2月,园区共完成企业入园审批", p).as_deref(),
            Some("2021-01/2021-02")
        );
        assert_eq!(
            period_before("2020年桂林高新区规模以上工业总产值突破", p).as_deref(),
            Some("2020")
        );
        // 全年 after a year the sentence named is that year's whole; alone it is the page's
        assert_eq!(
            period_before(
                "2019年,示例高新区继续推进项目建设,全年实现地区生产总值增长",
                p
            )
            .as_deref(),
            Some("2019")
        );
        assert_eq!(
            period_before("全年实现地区生产总值增长", p).as_deref(),
            Some("2021")
        );
        assert_eq!(
            period_before("数据显示,2005年-2024年6月,该高新区累计帮助", p).as_deref(),
            Some("2005/2024-06")
        );
        assert_eq!(
            period_before("“十三五”以来,共发放专项奖励资金", p).as_deref(),
            Some("2016/2020")
        );
        // a stock "to date" states no time: null, never a guess
        assert_eq!(period_before("截至目前,该企业申报实用新型专利", p), None);
        assert_eq!(period_before("2019年完成,截至目前累计申报专利", p), None);
        assert_eq!(
            period_before("截至2020年底,园区企业", p).as_deref(),
            Some("2020-12")
        );
        assert_eq!(
            period_before("截至6月底,园区企业", p).as_deref(),
            Some("2021-06")
        );
        assert_eq!(
            period_before("2018年以来,累计引进企业", p).as_deref(),
            Some("2018/2021")
        );
        assert_eq!(
            period_before("在“十四五”开局之年,园区新增企业", p).as_deref(),
            Some("2021")
        );
        assert_eq!(
            period_before("去年上半年,营收增长", p).as_deref(),
            Some("2020-01/2020-06")
        );
        // a month or a span of months without a year is this year's, the page's; a calendar
        // date is an event's; the base of a comparison is history
        assert_eq!(
            period_before("1-5月,国家高新区实现营业收入", p).as_deref(),
            Some("2021-01/2021-05")
        );
        assert_eq!(
            period_before("据悉,6月份,园区共新引进产业项目", p).as_deref(),
            Some("2021-06")
        );
        assert_eq!(
            period_before("截至9月,高新区市场主体存量为", p).as_deref(),
            Some("2021-09")
        );
        assert_eq!(period_before("8月22日,园区举行发布会,推出", p), None);
        assert_eq!(period_before("市场主体较2020年末净增", p), None);
        assert_eq!(period_before("1-5月,营业收入", None), None);
        // a month and the time that passed after it
        let s = "“去年6月中药板块投产后,仅半年时间就完成了5个产品约4万件,产值超过1亿元。”";
        for figure in ["半年", "5个", "约4万件", "超过1亿元"] {
            assert_eq!(
                period_of(s, s.find(figure).unwrap(), p).as_deref(),
                Some("2020-06/2020-12"),
                "{figure}"
            );
        }
        let s = "2020年9月投产后,3个月完成产值2亿元";
        assert_eq!(
            period_of(s, s.find("2亿元").unwrap(), p).as_deref(),
            Some("2020-09/2020-12")
        );
        let s = "今年3月,园区新增企业12家";
        assert_eq!(
            period_of(s, s.find("12家").unwrap(), p).as_deref(),
            Some("2021-03")
        );
        assert_eq!(period_before("力争规模以上工业总产值增长", p), None);
        assert_eq!(period_before("为沈阳市“十四五”开门红", p), None);
        // a time that opens a clause dates the figures after it; one inside another clause
        // dates that clause's own event
        assert_eq!(
            period_before("据介绍,2020年高新区总产值突破300亿元,同比增长", p).as_deref(),
            Some("2020")
        );
        assert_eq!(
            period_before("举办2020年网络招聘会专场,组织", p).as_deref(),
            Some("2020")
        );
        assert_eq!(
            period_before("该项目建成后将拓宽载体,预计2026年建成启用,可提供", p),
            None
        );
        assert_eq!(
            period_before("该公司是一家企业,于2018年3月成立了研发中心,现有研发人员", p),
            None
        );
    }
}
