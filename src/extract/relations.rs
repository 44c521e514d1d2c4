//! How figures relate to the text around them: the side of a from→to pair
//! (由18个工作日缩短为1个工作日 → before, after) and the stated direction of change
//! (同比增长12% → increase, 精简项目申报材料50% → decrease). Word lists come from `[figures]`.

use super::figures::FoundFigure;
use crate::lexicon::{is_han, Lexicon};
use crate::model::{Change, Role};

/// Longest link between the two figures of a pair, in characters (缩短为, 精减至).
const MAX_PAIR_LINK_CHARS: usize = 6;

/// Roles of `figs` (same order): pairs written 由/从 A … 为/至/到 B with one unit kind.
pub fn pair_roles(text: &str, figs: &[FoundFigure], lex: &Lexicon) -> Vec<Option<Role>> {
    let mut roles = vec![None; figs.len()];
    for i in 0..figs.len().saturating_sub(1) {
        let (a, b) = (&figs[i], &figs[i + 1]);
        if a.unit_kind != b.unit_kind || roles[i].is_some() {
            continue;
        }
        let opened = lex
            .pair_from
            .iter()
            .any(|w| text[..a.start].ends_with(w.as_str()));
        let link = &text[a.end..b.start];
        let linked = link.chars().count() <= MAX_PAIR_LINK_CHARS
            && link.chars().all(is_han)
            && lex.pair_to.iter().any(|w| link.ends_with(w.as_str()));
        if opened && linked {
            roles[i] = Some(Role::Before);
            roles[i + 1] = Some(Role::After);
        }
    }
    roles
}

/// The direction stated for a figure: the nearest direction word in `clause` (the text from
/// the clause start to the figure, or the link of a pair).
pub fn change_in(clause: &str, lex: &Lexicon) -> Option<Change> {
    let mut best: Option<(usize, Change)> = None;
    for (list, set, ch) in [
        (&lex.increase_words, &lex.increase_set, Change::Increase),
        (&lex.decrease_words, &lex.decrease_set, Change::Decrease),
    ] {
        // one pass finds the words in the clause; only those are looked at in detail
        let present = set.present(clause);
        for (k, w) in list.iter().enumerate() {
            if !set.contains(&present, k) {
                continue;
            }
            let mut search = clause;
            while let Some(p) = search.rfind(w.as_str()) {
                let excepted = lex.direction_exceptions.iter().any(|e| {
                    e.contains(w.as_str())
                        && clause.get(p..).is_some_and(|rest| {
                            let off = e.find(w.as_str()).unwrap_or(0);
                            p >= off && clause[p - off..].starts_with(e.as_str())
                                || rest.starts_with(e.as_str())
                        })
                });
                if !excepted {
                    if best.is_none_or(|(bp, _)| p > bp) {
                        best = Some((p, ch));
                    }
                    break;
                }
                search = &search[..p];
            }
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::figures::find_figures;

    #[test]
    fn from_to_pairs() {
        let lex = Lexicon::for_tests();
        for t in [
            "审批时限可由18个工作日缩短为1个工作日。",
            "申报材料从10份精减至4份,",
        ] {
            let figs = find_figures(t, &lex);
            assert_eq!(
                pair_roles(t, &figs, &lex),
                [Some(Role::Before), Some(Role::After)],
                "{t}"
            );
        }
        let t = "开发人力资源合作基地近40个,成员单位60个";
        let figs = find_figures(t, &lex);
        assert_eq!(pair_roles(t, &figs, &lex), [None, None]);
    }

    #[test]
    fn directions() {
        let lex = Lexicon::for_tests();
        assert_eq!(
            change_in("2020年规模以上工业总产值同比增长", &lex),
            Some(Change::Increase)
        );
        assert_eq!(change_in("精简项目申报材料", &lex), Some(Change::Decrease));
        assert_eq!(change_in("平均缩短筹建周期", &lex), Some(Change::Decrease));
        assert_eq!(change_in("规上工业增加值实现", &lex), None);
        assert_eq!(change_in("用地", &lex), None);
    }
}
