//! What a figure measures and which statistic of it: `measure_key` is the subject from the
//! taxonomy in `pipeline.toml` (revenue, investment, high-tech enterprises …) and `stat` says
//! whether the figure is its level, growth, change, share or rank. Together they make figures
//! comparable: `营收10.26万亿元,同比增长7.3%` gives revenue/level and revenue/growth.

use super::labels::named_measure;
use crate::config::MeasureDef;
use crate::lexicon::Lexicon;
use crate::model::{Change, Stat};

/// What the classifier needs to know of one figure and its surroundings.
#[derive(Debug, Clone, Copy)]
pub struct FigureContext<'a> {
    /// Canonical base unit (元, %, 百分点, 位).
    pub unit: &'a str,
    /// Unit class (`money`, `percent`, `rank` …).
    pub unit_kind: &'a str,
    /// The figure's text as written (第二, 两位, 71位).
    pub raw_text: &'a str,
    /// Written with Arabic digits.
    pub arabic: bool,
    /// One side of a from→to pair (由18个工作日缩短为1个工作日): both sides are levels.
    pub paired: bool,
    /// The direction the text states right before the figure, if any.
    pub direction: Option<Change>,
    /// The text that direction was read from.
    pub direction_text: &'a str,
    /// The figure's label.
    pub label: &'a str,
    /// Its clause up to the figure.
    pub clause: &'a str,
    /// Its sentence up to the figure (a fund named at the start of a long sentence).
    pub sentence_head: &'a str,
    /// The rest of its clause after the figure (…7%以上的平均增速, 2亿元规模的产业基金).
    pub after: &'a str,
    /// The measure of the figure before it in the same sentence, which a bare growth or share
    /// (同比增长7.3%) qualifies.
    pub previous: Option<&'a str>,
}

/// The statistic a figure states; see `[stats]` in `pipeline.toml` for the rules.
pub fn stat_of(lex: &Lexicon, c: &FigureContext<'_>) -> Stat {
    if c.unit_kind == "rank" {
        // 两位院士 counts people; 第二, 首位, 71位 are positions
        let counted = !c.arabic && !c.raw_text.starts_with(['第', '首']);
        return if counted {
            Stat::Level
        } else if c.direction.is_some() && !lex.level_set.any_in(c.direction_text) {
            // 上升12个名次 moves the position
            Stat::Change
        } else {
            Stat::Rank
        };
    }
    if lex.change_units.iter().any(|u| u == c.unit) {
        return Stat::Change;
    }
    if matches!(c.unit_kind, "percent" | "ratio") {
        let growth = [c.label, c.clause, c.after]
            .iter()
            .any(|t| lex.growth_set.any_in(t));
        if growth || c.direction.is_some() {
            return Stat::Growth;
        }
        // 增长2倍 is a growth; a bare percentage (开工率60.7%, 近2/3) is a share
        return if c.unit_kind == "ratio" {
            Stat::Growth
        } else {
            Stat::Share
        };
    }
    // 增加84家, or a label that opens with the change (新增省级试点企业2家)
    let opens_with_change = [&lex.increase_set, &lex.decrease_set]
        .iter()
        .any(|set| set.starts(c.label));
    let direction = c.direction.is_some() && !lex.level_set.any_in(c.direction_text);
    if !c.paired && (direction || opens_with_change && !lex.level_set.starts(c.label)) {
        return Stat::Change;
    }
    Stat::Level
}

/// The measure key and statistic of a figure.
pub fn classify(lex: &Lexicon, c: &FigureContext<'_>) -> (Option<String>, Stat) {
    let mut stat = stat_of(lex, c);
    // 两位院士 is a count of people, in a unit that usually ranks
    let kind = if c.unit_kind == "rank" && stat == Stat::Level {
        "count"
    } else {
        c.unit_kind
    };
    let of_kind = |hay: &str| named_measure(lex, Some(kind), hay);
    let any_kind = |hay: &str| named_measure(lex, None, hay);
    let measure: Option<&MeasureDef> = match stat {
        // a position names no amount; what is ranked is rarely said in the figure's words, and
        // a move in the ranking (较去年进步了9位) is a change of that position
        Stat::Rank => None,
        Stat::Change if c.unit_kind == "rank" => None,
        // a count names what it counts (its label): a label that names no measure counts
        // something outside the taxonomy, whatever else the clause mentions
        Stat::Level if kind == "count" => of_kind(c.label).or_else(|| {
            // a label cut short (2家省级“两业融合”试点企业 → 省级): the noun after it
            (c.label.chars().count() <= 2)
                .then(|| of_kind(c.after))
                .flatten()
        }),
        Stat::Level => lex
            .measures
            .iter()
            .find(|m| {
                m.unit_kinds.get_ref().iter().any(|u| u == kind)
                    && m.before_words
                        .iter()
                        .any(|w| c.label.trim_end().ends_with(w.as_str()))
            })
            .or_else(|| of_kind(c.label))
            // the figure's own unit may name it (改革开放40周年: an age)
            .or_else(|| of_kind(c.raw_text))
            .or_else(|| {
                lex.measures.iter().find(|m| {
                    m.unit_kinds.get_ref().iter().any(|u| u == kind)
                        && m.after_words
                            .iter()
                            .any(|w| c.after.starts_with(w.as_str()))
                })
            })
            .or_else(|| of_kind(c.after))
            .or_else(|| of_kind(c.clause))
            .or_else(|| of_kind(c.sentence_head))
            .or_else(|| {
                lex.measures
                    .iter()
                    .find(|m| m.fallback_for.iter().any(|k| k == kind))
            }),
        Stat::Change => of_kind(c.label)
            .or_else(|| of_kind(c.clause))
            .or_else(|| any_kind(c.label)),
        // 战略性新兴产业增加值占地区生产总值比重: a share is of what stands before 占, not of
        // the whole after it
        Stat::Share if c.label.contains('占') => c
            .label
            .split('占')
            .next()
            .and_then(any_kind)
            .or_else(|| of_kind(c.label))
            .or_else(|| any_kind(c.label))
            .or_else(|| any_kind(c.clause)),
        Stat::Growth | Stat::Share => of_kind(c.label)
            .or_else(|| any_kind(c.label))
            .or_else(|| any_kind(c.clause)),
    };
    let key = match measure {
        Some(m) => {
            if let Some(fixed) = m.stat {
                stat = fixed;
            }
            Some(m.key.clone())
        }
        // 营收10.26万亿元,同比增长7.3%: the growth is the revenue's
        // a bare growth, share or change (较2023年末净增11152户, 高于全市2.3个百分点) is of the
        // measure named before it in the sentence
        // (but not a move in a ranking: a position measures no amount of anything)
        None if matches!(stat, Stat::Growth | Stat::Share | Stat::Change)
            && c.unit_kind != "rank" =>
        {
            c.previous.map(str::to_string)
        }
        None => None,
    };
    (key, stat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(unit: &'a str, kind: &'a str, label: &'a str, clause: &'a str) -> FigureContext<'a> {
        FigureContext {
            unit,
            unit_kind: kind,
            raw_text: "1",
            arabic: true,
            paired: false,
            direction: None,
            direction_text: "",
            label,
            clause,
            sentence_head: clause,
            after: "",
            previous: None,
        }
    }

    fn key(c: &FigureContext<'_>) -> (Option<String>, &'static str) {
        let lex = Lexicon::for_tests();
        let (k, s) = classify(&lex, c);
        (k, s.as_str())
    }

    #[test]
    fn levels_take_a_measure_of_their_unit_kind() {
        let k = |u, kind, label| key(&ctx(u, kind, label, ""));
        assert_eq!(
            k("工作日", "duration", "审批时限"),
            (Some("approval_time".into()), "level")
        );
        assert_eq!(
            k("元", "money", "获得贷款"),
            (Some("credit".into()), "level")
        );
        assert_eq!(k("个", "count", "就业岗位"), (Some("jobs".into()), "level"));
        assert_eq!(
            k("平方米", "area", "总建筑面积"),
            (Some("floor_space".into()), "level")
        );
        // a count of enterprises that got loans is a count, not a loan
        assert_eq!(
            k("家", "count", "获得贷款企业"),
            (Some("enterprises".into()), "level")
        );
        // a mass names production when no word does
        assert_eq!(
            k("吨", "mass", "中间体"),
            (Some("production".into()), "level")
        );
        assert_eq!(k("个", "count", "方面"), (None, "level"));
    }

    #[test]
    fn percentages_are_growth_or_share_of_their_subject() {
        let k = |label, clause| key(&ctx("%", "percent", label, clause));
        assert_eq!(
            k("规上工业增加值同比增长", ""),
            (Some("value_added".into()), "growth")
        );
        assert_eq!(k("研发投入强度", ""), (Some("rd_spending".into()), "share"));
        assert_eq!(k("材料压缩率", ""), (Some("materials".into()), "growth"));
        assert_eq!(
            k("审批事项提前办结率", ""),
            (Some("approval_time".into()), "share")
        );
        // a bare growth qualifies the figure before it
        let mut c = ctx("%", "percent", "同比增长", "同比增长");
        c.previous = Some("revenue");
        assert_eq!(key(&c), (Some("revenue".into()), "growth"));
    }

    #[test]
    fn changes_ranks_and_points() {
        let lex = Lexicon::for_tests();
        let mut c = ctx("家", "count", "企业", "较2012年增加");
        c.direction = Some(Change::Increase);
        c.direction_text = "较2012年增加";
        assert_eq!(
            classify(&lex, &c),
            (Some("enterprises".into()), Stat::Change)
        );
        // a direction word that states the new level: 精减至4份 is a level
        c.direction_text = "精减至";
        assert_eq!(stat_of(&lex, &c), Stat::Level);
        let pts = ctx("百分点", "percent", "提高", "");
        assert_eq!(stat_of(&lex, &pts), Stat::Change);
        let mut rank = ctx("位", "rank", "排名", "");
        rank.raw_text = "第7位";
        assert_eq!(stat_of(&lex, &rank), Stat::Rank);
        rank.raw_text = "两位";
        rank.arabic = false;
        assert_eq!(stat_of(&lex, &rank), Stat::Level, "两位院士 is a count");
        // a change that names no subject is of the measure named before it in the sentence
        let mut net = ctx("户", "count", "较2023年末净增", "较2023年末净增");
        net.direction = Some(Change::Increase);
        net.direction_text = "净增";
        net.previous = Some("enterprises");
        assert_eq!(
            classify(&lex, &net),
            (Some("enterprises".into()), Stat::Change)
        );
        // but a move in a ranking after a count of zones (在全国147个高新区中综合排名33,较去年
        // 进步了9位) measures no amount of anything
        let mut moved = ctx("位", "rank", "较去年进步了", "较去年进步了");
        moved.direction = Some(Change::Increase);
        moved.direction_text = "进步了";
        moved.previous = Some("zones");
        assert_eq!(classify(&lex, &moved), (None, Stat::Change));
    }

    #[test]
    fn money_of_projects_is_investment_and_their_number_is_projects() {
        let k = |u, kind, label| key(&ctx(u, kind, label, ""));
        let mut sized = ctx("元", "money", "其中", "其中");
        sized.after = "项目有9个";
        assert_eq!(key(&sized), (Some("investment".into()), "level"));
        assert_eq!(
            k("个", "count", "新引进产业项目"),
            (Some("projects".into()), "change")
        );
        assert_eq!(
            k("户", "count", "市场主体存量为"),
            (Some("enterprises".into()), "level")
        );
        assert_eq!(
            k("家", "count", "新注册企业"),
            (Some("new_enterprises".into()), "level")
        );
    }
}
