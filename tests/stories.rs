//! Reprint linking (`articles.story_id`, `duplicate_of`, `measures.representative`) on a
//! generated test set.
//!
//! The generator writes stories about high-tech zones from sentence templates written for
//! this test, and reprints each of them the way portals, mirror sites and e-paper pages do:
//! site chrome before and after, a metadata line or a byline, traditional script, pinyin
//! after characters, the body cut at 60–90 %, a paragraph added, ASCII and full-width
//! punctuation switched, a second article on the same page. Distractors: other stories on
//! the same zone and topic, and copies with one number changed (an updated release). The
//! test scores the pairwise precision and recall of the output's story clusters against the
//! generator's truth.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

/// xorshift64*: a small deterministic generator, so the test set is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: std::marker::Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const ZONES: &[&str] = &[
    "苏州高新区",
    "合肥高新区",
    "东湖高新区",
    "成都高新区",
    "西安高新区",
    "杭州高新区",
    "南京高新区",
    "长沙高新区",
    "郑州高新区",
    "济南高新区",
    "青岛高新区",
    "宁波高新区",
    "无锡高新区",
    "常州高新区",
    "珠海高新区",
    "贵阳高新区",
];
const INDUSTRIES: &[&str] = &[
    "集成电路",
    "生物医药",
    "新能源汽车",
    "人工智能",
    "高端装备",
    "新材料",
    "光电信息",
    "软件信息",
    "节能环保",
    "航空航天",
    "低空经济",
    "智能制造",
];
const COMPANIES: &[&str] = &[
    "华芯微电子",
    "瑞康生物",
    "启明智能",
    "远航动力",
    "中科光电",
    "新源材料",
    "博通软件",
    "天工装备",
    "绿能环保",
    "星河航天",
    "海川科技",
    "云图数据",
];
const PEOPLE: &[&str] = &[
    "王建国",
    "李晓燕",
    "张卫东",
    "陈思远",
    "刘海波",
    "周丽华",
    "赵明轩",
    "孙志强",
    "吴海燕",
    "郑国平",
];
const ROLES: &[&str] = &[
    "管委会主任",
    "党工委书记",
    "招商局局长",
    "科技局负责人",
    "管委会副主任",
];

/// Sentence templates: `{Z}` zone, `{I}` and `{J}` industries, `{C}` company, `{P}` person,
/// `{R}` role, `{Y}` year, `{M}` month, `{N}` a count, `{D}` a rate.
const TEMPLATES: &[&str] = &[
    "{Y}年{M}月,{Z}{I}产业园项目正式开工,总投资{N}亿元,预计建成后年产值可达{N}亿元。",
    "{C}是一家专注于{I}领域的科技型企业,去年实现营业收入{N}亿元,同比增长{D}%。",
    "据{Z}{R}{P}介绍,园区今年已新引进{I}项目{N}个,其中超亿元项目{N}个。",
    "今年前三季度,{Z}规模以上工业增加值同比增长{D}%,高于全市平均水平{D}个百分点。",
    "为破解企业融资难题,{Z}联合多家银行推出“{I}贷”,首期授信额度达{N}亿元。",
    "{P}表示,下一步将围绕{I}和{J}两大主导产业,加快建设一批专业化孵化载体。",
    "目前,园区已集聚{I}相关企业{N}家,形成了从研发设计到生产制造的完整链条。",
    "在人才引进方面,{Z}出台专项政策,对顶尖人才团队给予最高{N}万元资助。",
    "{C}负责人告诉记者,企业落户园区后,从签约到投产仅用了{N}个月。",
    "截至{M}月底,{Z}累计培育国家级专精特新“小巨人”企业{N}家。",
    "园区还在{I}领域布局了{N}个公共技术服务平台,向中小企业开放共享仪器设备。",
    "{Y}年,{Z}实现地区生产总值{N}亿元,同比增长{D}%。",
    "新建成的{I}创新中心占地{N}亩,建筑面积约{N}万平方米。",
    "记者在现场看到,{C}的{I}生产车间里,一条条自动化产线正在满负荷运转。",
    "{Z}政务服务中心推行“一窗受理”,企业开办时间压缩至{N}个工作日以内。",
    "{R}{P}说,要把优化营商环境作为“一号工程”,让{I}企业办事更顺心。",
    "当天,{N}个{I}项目集中签约,协议总金额超过{N}亿元。",
    "据统计,{Z}高新技术企业数量已达{N}家,较上年净增{N}家。",
    "{C}研发投入占营业收入比重达到{D}%,拥有发明专利{N}件。",
    "园区计划用{N}年时间,打造千亿级{I}产业集群。",
    "今年以来,{Z}累计举办各类招商推介活动{N}场,走访企业{N}家次。",
    "{Z}将持续深化产学研合作,与{N}所高校共建{J}联合实验室。",
    "面对市场变化,{C}及时调整产品结构,{I}产品订单同比增长{D}%。",
    "园区配套的人才公寓已交付使用,可为{J}企业员工提供房源{N}套。",
    "{P}在调研{C}时强调,要以{I}为突破口,推动创新链产业链深度融合。",
    "{Z}设立总规模{N}亿元的{J}产业基金,重点投向早期科技项目。",
];

/// Sentences of the paragraph a reprint adds (an editor's note, a local angle): never in a
/// story's own text.
const ADDED: &[&str] = &[
    "记者了解到,{Z}近期还将举办{I}产业对接会,邀请上下游企业共商合作。",
    "业内人士认为,{I}赛道竞争日趋激烈,园区需要在应用场景开放上持续发力。",
    "另据介绍,{C}正在筹建第二条生产线,预计明年下半年投入使用。",
    "不少企业负责人表示,园区的服务让他们在项目审批、用工招聘等方面少跑了不少路。",
    "编者按:{Z}的探索为其他园区发展{J}产业提供了可资借鉴的经验。",
];

/// What a story is about; its sentences are filled from it.
#[derive(Clone)]
struct Topic {
    zone: &'static str,
    industry: &'static str,
    second: &'static str,
    company: &'static str,
    person: &'static str,
    role: &'static str,
    year: usize,
}

impl Topic {
    fn new(rng: &mut Rng) -> Topic {
        let industry = rng.pick(INDUSTRIES);
        let mut second = rng.pick(INDUSTRIES);
        while second == industry {
            second = rng.pick(INDUSTRIES);
        }
        Topic {
            zone: rng.pick(ZONES),
            industry,
            second,
            company: rng.pick(COMPANIES),
            person: rng.pick(PEOPLE),
            role: rng.pick(ROLES),
            year: 2019 + rng.below(6),
        }
    }

    /// The same zone and industries, with another company, person and role.
    fn sibling(&self, rng: &mut Rng) -> Topic {
        let mut t = Topic::new(rng);
        t.zone = self.zone;
        t.industry = self.industry;
        t.second = self.second;
        while t.company == self.company {
            t.company = rng.pick(COMPANIES);
        }
        while t.person == self.person {
            t.person = rng.pick(PEOPLE);
        }
        t
    }

    fn fill(&self, template: &str, rng: &mut Rng) -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(at) = rest.find('{') {
            out.push_str(&rest[..at]);
            let key = &rest[at + 1..at + 2];
            rest = &rest[at + 3..];
            match key {
                "Z" => out.push_str(self.zone),
                "I" => out.push_str(self.industry),
                "J" => out.push_str(self.second),
                "C" => out.push_str(self.company),
                "P" => out.push_str(self.person),
                "R" => out.push_str(self.role),
                "Y" => out.push_str(&self.year.to_string()),
                "M" => out.push_str(&(1 + rng.below(12)).to_string()),
                "N" => out.push_str(&(2 + rng.below(480)).to_string()),
                _ => out.push_str(&format!("{}.{}", 1 + rng.below(40), rng.below(10))),
            }
        }
        out.push_str(rest);
        out
    }
}

/// A story: its title and paragraphs.
#[derive(Clone)]
struct Story {
    title: String,
    paragraphs: Vec<String>,
}

fn write_story(topic: &Topic, rng: &mut Rng, no: usize) -> Story {
    let mut order: Vec<usize> = (0..TEMPLATES.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let sentences = 9 + rng.below(6);
    let mut paragraphs = Vec::new();
    let mut para = String::new();
    for (k, &t) in order.iter().take(sentences).enumerate() {
        para.push_str(&topic.fill(TEMPLATES[t], rng));
        if k % 3 == 2 {
            paragraphs.push(std::mem::take(&mut para));
        }
    }
    if !para.is_empty() {
        paragraphs.push(para);
    }
    let verbs = ["跑出", "打造", "按下", "激活", "培育", "点燃"];
    let objects = ["加速度", "新引擎", "快进键", "新动能", "新高地", "强磁场"];
    Story {
        title: format!(
            "{}{}{}产业{}第{}期",
            topic.zone,
            verbs[no % verbs.len()],
            topic.industry,
            objects[(no / verbs.len()) % objects.len()],
            no + 1
        ),
        paragraphs,
    }
}

/// A few simplified → traditional pairs, enough to make a mirror site's copy look like one.
const TRADITIONAL: &[(char, char)] = &[
    ('区', '區'),
    ('业', '業'),
    ('发', '發'),
    ('产', '產'),
    ('亿', '億'),
    ('万', '萬'),
    ('实', '實'),
    ('现', '現'),
    ('长', '長'),
    ('项', '項'),
    ('园', '園'),
    ('术', '術'),
    ('设', '設'),
    ('计', '計'),
    ('新', '新'),
    ('进', '進'),
    ('经', '經'),
    ('济', '濟'),
    ('开', '開'),
    ('电', '電'),
    ('记', '記'),
    ('者', '者'),
    ('资', '資'),
    ('总', '總'),
    ('达', '達'),
    ('创', '創'),
];

fn traditional(text: &str) -> String {
    text.chars()
        .map(|c| {
            TRADITIONAL
                .iter()
                .find(|(s, _)| *s == c)
                .map_or(c, |(_, t)| *t)
        })
        .collect()
}

/// Pinyin a mirror site puts after some characters.
const PINYIN: &[(char, &str)] = &[
    ('园', "yuán"),
    ('业', "yè"),
    ('新', "xīn"),
    ('长', "zhǎng"),
    ('创', "chuàng"),
    ('项', "xiàng"),
];

fn with_pinyin(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if let Some((_, p)) = PINYIN.iter().find(|(k, _)| *k == c) {
            out.push_str(&format!("({p})"));
        }
    }
    out
}

/// The templates are written with ASCII commas and colons; most sites print full-width ones.
fn fullwidth(text: &str) -> String {
    text.replace(',', "\u{FF0C}")
        .replace(':', "\u{FF1A}")
        .replace(';', "\u{FF1B}")
}

/// How one copy of a story is printed.
#[derive(Default, Clone, Copy)]
struct Copy {
    chrome: bool,
    newspaper: bool,
    traditional: bool,
    pinyin: bool,
    /// Percent of the body kept.
    keep: usize,
    add_paragraph: bool,
    ascii_punct: bool,
    second_article: bool,
}

fn body_of(story: &Story, copy: Copy, extra: &str) -> Vec<String> {
    let mut paras = story.paragraphs.clone();
    if copy.add_paragraph {
        let at = paras.len().min(2);
        paras.insert(at, extra.to_string());
    }
    if copy.keep < 100 {
        let total: usize = paras.iter().map(|p| p.chars().count()).sum();
        let mut budget = total * copy.keep / 100;
        let mut cut = Vec::new();
        for p in paras {
            let n = p.chars().count();
            if budget >= n {
                budget -= n;
                cut.push(p);
            } else {
                // an excerpt ends where the aggregator cut it, with an ellipsis
                let head: String = p.chars().take(budget).collect();
                cut.push(head + "……");
                break;
            }
        }
        paras = cut;
    }
    paras
}

fn render_page(
    title: &str,
    paras: &[String],
    copy: Copy,
    site: usize,
    second: Option<&Story>,
) -> String {
    let mut lines = Vec::new();
    if copy.chrome {
        lines.push(format!(
            "您好,欢迎来到第{site}资讯网! 登录 | 注册 | 我的频道"
        ));
        lines.push("首页 > 新闻中心 > 园区动态 > 正文".to_string());
    }
    lines.push(String::new());
    lines.push(title.to_string());
    if copy.newspaper {
        lines.push(format!("本报记者 {}", PEOPLE[site % PEOPLE.len()]));
    } else {
        lines.push(format!(
            "发布时间:2024-0{}-1{} 09:30 来源:第{site}资讯网 浏览次数:{}",
            1 + site % 9,
            site % 10,
            100 + site * 7
        ));
    }
    lines.push(String::new());
    let body = |p: &String| {
        if copy.pinyin {
            with_pinyin(p)
        } else {
            p.clone()
        }
    };
    lines.extend(paras.iter().map(body));
    if let Some(s) = second {
        lines.push(String::new());
        lines.push(String::new());
        lines.push(s.title.clone());
        lines.push(format!("本报记者 {}", PEOPLE[(site + 3) % PEOPLE.len()]));
        lines.push(String::new());
        lines.extend(s.paragraphs.iter().cloned());
    }
    if copy.chrome {
        lines.push(String::new());
        lines.push("上一篇:园区召开安全生产工作会议".to_string());
        lines.push("下一篇:科技企业座谈会顺利召开".to_string());
        lines.push("分享到: 微信 微博 QQ空间".to_string());
        lines.push(format!(
            "版权所有:第{site}资讯网 备案号:京ICP备1234567{site}号"
        ));
    }
    let mut text = lines.join("\n") + "\n";
    if !copy.ascii_punct {
        text = fullwidth(&text);
    }
    if copy.traditional {
        text = traditional(&text);
    }
    text
}

/// The generated test set: files and, per (file, title), the story it belongs to.
struct TestSet {
    files: BTreeMap<String, String>,
    truth: HashMap<(String, String), usize>,
    /// Story numbers of distractors, with the story each imitates.
    distractors: Vec<(usize, usize)>,
}

fn generate(stories: usize, copies: usize, seed: u64) -> TestSet {
    let mut rng = Rng(seed);
    let mut set = TestSet {
        files: BTreeMap::new(),
        truth: HashMap::new(),
        distractors: Vec::new(),
    };
    let mut next_story = 0;
    let add = |set: &mut TestSet, path: String, text: String, titles: Vec<(String, usize)>| {
        for (title, story) in titles {
            set.truth.insert((path.clone(), title), story);
        }
        set.files.insert(path, text);
    };
    for n in 0..stories {
        let topic = Topic::new(&mut rng);
        let story = write_story(&topic, &mut rng, n);
        let id = next_story;
        next_story += 1;
        let first = rng.below(ADDED.len());
        let extra = topic.fill(ADDED[first], &mut rng)
            + &topic.fill(
                ADDED[(first + 1 + rng.below(ADDED.len() - 1)) % ADDED.len()],
                &mut rng,
            );
        for k in 0..=copies {
            let mut copy = if k == 0 {
                Copy {
                    keep: 100,
                    newspaper: true,
                    ..Copy::default()
                }
            } else {
                Copy {
                    chrome: rng.chance(70),
                    newspaper: rng.chance(30),
                    traditional: rng.chance(30),
                    pinyin: rng.chance(25),
                    keep: if rng.chance(50) {
                        60 + rng.below(31)
                    } else {
                        100
                    },
                    add_paragraph: rng.chance(30),
                    ascii_punct: rng.chance(40),
                    second_article: false,
                }
            };
            // a second article shares the page of an e-paper copy (a web page is one article)
            copy.second_article = copy.newspaper && !copy.chrome && rng.chance(60);
            let second = copy.second_article.then(|| {
                let t = Topic::new(&mut rng);
                write_story(&t, &mut rng, 1000 + n * 10 + k)
            });
            let paras = body_of(&story, copy, &extra);
            let site = 1 + rng.below(40);
            let text = render_page(&story.title, &paras, copy, site, second.as_ref());
            let path = format!("site{site:02}/s{n:03}-{k}.txt");
            let mut titles = vec![(story.title.clone(), id)];
            if let Some(s) = second {
                titles.push((s.title.clone(), next_story));
                next_story += 1;
            }
            add(&mut set, path, text, titles);
        }
        // distractors: another story on the same zone and topic, and a copy with one number
        // changed
        let (distractor, copy, site, path) = if n % 2 == 0 {
            let sibling = topic.sibling(&mut rng);
            let other = write_story(&sibling, &mut rng, 500 + n);
            let copy = Copy {
                keep: 100,
                ..Copy::default()
            };
            (other, copy, 41, format!("other/d{n:03}.txt"))
        } else {
            // the changed number is the first of the story, which every copy keeps: a copy
            // cut before the change would share no differing figure with it, and be the
            // same story as both by the rule
            let mut updated = story.clone();
            let p = updated
                .paragraphs
                .iter()
                .position(|q| q.contains(|c: char| c.is_ascii_digit()))
                .unwrap_or(0);
            let para = &updated.paragraphs[p];
            if let Some(at) = para.find(|c: char| c.is_ascii_digit()) {
                let digit = para.as_bytes()[at] - b'0';
                let mut changed = para.clone();
                changed.replace_range(at..at + 1, &((digit + 1) % 10).to_string());
                updated.paragraphs[p] = changed;
            }
            let copy = Copy {
                keep: 100,
                newspaper: true,
                ..Copy::default()
            };
            (updated, copy, 42, format!("other/u{n:03}.txt"))
        };
        let text = render_page(&distractor.title, &distractor.paragraphs, copy, site, None);
        set.distractors.push((next_story, id));
        add(&mut set, path, text, vec![(distractor.title, next_story)]);
        next_story += 1;
    }
    set
}

fn write_set(set: &TestSet, dir: &Path) {
    for (path, text) in &set.files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// A config file in `dir`: the shipped one with `rule` choosing the representative (its
/// data files named by absolute path).
fn rule_config(dir: &Path, rule: Rule) -> std::path::PathBuf {
    let value = match rule {
        Rule::FirstCopy => "first_copy",
        Rule::EarliestPublished => "earliest_published",
    };
    let path = common::config_with(dir, &format!("{value}.toml"), |t| {
        let line = t
            .lines()
            .find(|l| l.starts_with("representative = "))
            .expect("the shipped config sets [stories] representative");
        t.replacen(line, &format!("representative = \"{value}\""), 1)
    });
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains(&format!("representative = \"{value}\"")));
    path
}

fn run(input: &Path, output: &Path, extra: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_zonefacts"))
        .arg("run")
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(output)
        .args(extra)
        .env("ZONEFACTS_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One row of `articles.csv`.
struct Row {
    article_id: String,
    source_file: String,
    title: String,
    story_id: String,
    duplicate_of: String,
    /// `YYYY-MM-DD`, or empty when the page gives no date.
    published: String,
}

impl Row {
    /// How the row ranks for representing its story: earliest `published` (undated after
    /// dated), then source path in byte order.
    fn rank(&self) -> (bool, &str, &[u8]) {
        (
            self.published.is_empty(),
            &self.published,
            self.source_file.as_bytes(),
        )
    }
}

fn read_articles(output: &Path) -> Vec<Row> {
    let mut rdr = csv::Reader::from_path(output.join("articles.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (a, f, t, s, d, p) = (
        col("article_id"),
        col("source_file"),
        col("title"),
        col("story_id"),
        col("duplicate_of"),
        col("published"),
    );
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            Row {
                article_id: r[a].to_string(),
                source_file: r[f].to_string(),
                title: r[t].to_string(),
                story_id: r[s].to_string(),
                duplicate_of: r[d].to_string(),
                published: r[p].to_string(),
            }
        })
        .collect()
}

fn pairs<K: Ord + Clone>(groups: &BTreeMap<K, Vec<usize>>) -> BTreeSet<(usize, usize)> {
    let mut out = BTreeSet::new();
    for members in groups.values() {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                out.insert((a.min(b), a.max(b)));
            }
        }
    }
    out
}

#[test]
fn reprints_are_linked_and_distractors_are_not() {
    let set = generate(40, 4, 0x5EED_2026);
    // ZONEFACTS_STORIES_DIR=folder keeps a copy of the test set to look at
    if let Ok(keep) = std::env::var("ZONEFACTS_STORIES_DIR") {
        write_set(&set, Path::new(&keep));
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_set(&set, &input);
    let first = dir.path().join("first");
    let config = rule_config(dir.path(), Rule::FirstCopy);
    run(
        &input,
        &first,
        &["--jobs", "2", "--config", config.to_str().unwrap()],
    );
    check_reprints(&set, &first, Rule::FirstCopy);
    let config = rule_config(dir.path(), Rule::EarliestPublished);
    let earliest = dir.path().join("earliest");
    run(
        &input,
        &earliest,
        &["--jobs", "2", "--config", config.to_str().unwrap()],
    );
    check_reprints(&set, &earliest, Rule::EarliestPublished);
}

/// Which copy represents its story.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rule {
    FirstCopy,
    EarliestPublished,
}

/// Pairwise precision and recall of the links in `output` against the set's truth, the
/// distractors, and the representative `rule`.
fn check_reprints(set: &TestSet, output: &Path, rule: Rule) {
    let rows = read_articles(output);

    // each generated article, found in the output by its file and title
    let mut found: Vec<(usize, &Row)> = Vec::new();
    for r in &rows {
        if let Some(&story) = set.truth.get(&(r.source_file.clone(), r.title.clone())) {
            found.push((story, r));
        }
    }
    let generated = set.truth.len();
    eprintln!(
        "{} files, {generated} generated articles, {} articles written, {} found by title",
        set.files.len(),
        rows.len(),
        found.len()
    );
    assert!(
        found.len() * 100 >= generated * 98,
        "the segmenter lost generated articles: {} of {generated} found",
        found.len()
    );

    let mut truth: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut predicted: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (story, row)) in found.iter().enumerate() {
        truth.entry(*story).or_default().push(i);
        predicted.entry(row.story_id.as_str()).or_default().push(i);
    }
    let (t, p) = (pairs(&truth), pairs(&predicted));
    let hits = t.intersection(&p).count();
    let precision = hits as f64 / p.len().max(1) as f64;
    let recall = hits as f64 / t.len().max(1) as f64;
    let distractor_links = set
        .distractors
        .iter()
        .map(|&(d, original)| {
            p.iter()
                .filter(|&&(a, b)| {
                    let (sa, sb) = (found[a].0, found[b].0);
                    (sa == d && sb == original) || (sa == original && sb == d)
                })
                .count()
        })
        .sum::<usize>();
    eprintln!(
        "pairs: {} true, {} predicted, {hits} right; precision {precision:.4}, recall \
         {recall:.4}; {} distractors, {distractor_links} distractor pairs linked",
        t.len(),
        p.len(),
        set.distractors.len()
    );
    assert!(precision >= 0.99, "precision {precision:.4}");
    assert!(recall >= 0.95, "recall {recall:.4}");
    assert_eq!(distractor_links, 0);

    // the representative is the first copy in source-file order, or the copy published
    // first (undated copies last) and then the first; duplicate_of names it
    let by_id: HashMap<&str, &Row> = rows.iter().map(|r| (r.article_id.as_str(), r)).collect();
    let mut later_rep = 0;
    for r in &rows {
        if r.duplicate_of.is_empty() {
            assert_eq!(r.story_id, r.article_id);
        } else {
            assert_eq!(r.duplicate_of, r.story_id);
            let rep = by_id[r.story_id.as_str()];
            assert!(rep.duplicate_of.is_empty());
            let before = match rule {
                Rule::FirstCopy => rep.source_file < r.source_file,
                Rule::EarliestPublished => rep.rank() < r.rank(),
            };
            assert!(
                before,
                "{rule:?}: {} ({}) represents {} ({})",
                rep.source_file, rep.published, r.source_file, r.published
            );
            later_rep += usize::from(rep.source_file > r.source_file);
        }
    }
    eprintln!("{rule:?}: {later_rep} copies are represented by a copy later in source-file order");
    if rule == Rule::EarliestPublished {
        assert!(
            later_rep > 0,
            "the set must test a representative that comes later"
        );
    }
}

/// Every table file of an output folder, by name.
fn tables(output: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(output).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if name.ends_with(".csv") || name.ends_with(".parquet") {
            out.insert(name, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

#[test]
fn reprints_arriving_on_a_later_night_join_the_story_and_match_a_full_run() {
    two_nights(Rule::FirstCopy);
}

#[test]
fn an_earlier_dated_reprint_arriving_later_takes_its_story_over_as_a_full_run_does() {
    two_nights(Rule::EarliestPublished);
}

fn two_nights(rule: Rule) {
    let set = generate(6, 3, 0xA11CE);
    let dir = tempfile::tempdir().unwrap();
    let config = rule_config(dir.path(), rule);
    let config = config.to_str().unwrap();
    let run = |input: &Path, output: &Path, extra: &[&str]| {
        let mut args = extra.to_vec();
        args.extend(["--config", config]);
        run(input, output, &args);
    };
    let input = dir.path().join("in");
    let (nightly, full) = (dir.path().join("nightly"), dir.path().join("full"));
    // night 1: every story's original (and the distractors); night 2: three reprints of each,
    // dropped in the next night's folder as a crawler does
    for (path, text) in &set.files {
        let night = if path.ends_with("-0.txt") || path.starts_with("other/") {
            "2026-11-30"
        } else {
            "2026-12-01"
        };
        let p = input.join(night).join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        if night == "2026-11-30" {
            std::fs::write(p, text).unwrap();
        }
    }
    run(&input, &nightly, &["--jobs", "2"]);
    let night1 = read_articles(&nightly);
    let originals: BTreeMap<String, String> = night1
        .iter()
        .filter(|r| r.source_file.ends_with("-0.txt"))
        .map(|r| (r.title.clone(), r.article_id.clone()))
        .collect();
    assert!(night1.iter().all(|r| r.duplicate_of.is_empty()));

    for (path, text) in &set.files {
        if !(path.ends_with("-0.txt") || path.starts_with("other/")) {
            let p = input.join("2026-12-01").join(path);
            std::fs::write(p, text).unwrap();
        }
    }
    run(&input, &nightly, &["--jobs", "2"]);
    run(&input, &full, &["--jobs", "1", "--full"]);
    let night2 = read_articles(&nightly);
    let story_of: HashMap<&str, &str> = night2
        .iter()
        .map(|r| (r.article_id.as_str(), r.story_id.as_str()))
        .collect();
    let mut joined = 0;
    for r in &night2 {
        if r.source_file.starts_with("2026-12-01/") {
            if let Some(original) = originals.get(&r.title) {
                assert_eq!(
                    r.story_id,
                    story_of[original.as_str()],
                    "{} did not join its story",
                    r.source_file
                );
                joined += 1;
            }
        }
    }
    let reprints = set
        .files
        .keys()
        .filter(|p| !(p.ends_with("-0.txt") || p.starts_with("other/")))
        .count();
    // a reprint dated before night 1's copy takes over its story, night 1's rows change
    let taken_over = night2
        .iter()
        .filter(|r| r.source_file.starts_with("2026-11-30/") && !r.duplicate_of.is_empty())
        .filter(|r| r.duplicate_of == r.story_id && story_of.contains_key(r.story_id.as_str()))
        .count();
    eprintln!(
        "{rule:?}: {joined} of {reprints} reprints of night 2 joined the stories of night 1; \
         {taken_over} of night 1's copies are now represented by an earlier-dated reprint"
    );
    match rule {
        Rule::EarliestPublished => assert!(taken_over > 0, "no representative changed"),
        Rule::FirstCopy => assert_eq!(taken_over, 0, "a later copy took a story over"),
    }
    assert!(
        joined * 100 >= reprints * 95,
        "only {joined} of {reprints} reprints joined"
    );
    assert_same_tables(&nightly, &full);

    // night 3: a copy of a story's representative arrives in a folder that sorts before
    // night 1's: with the same date it becomes the representative, and last night's
    // representative, whose file did not change, turns into a copy: its rows change although
    // its file did not (its CSV rows must not be copied)
    let old_rep = night2
        .iter()
        .find(|r| {
            r.duplicate_of.is_empty()
                && night2.iter().any(|c| c.duplicate_of == r.article_id)
                && set
                    .files
                    .contains_key(r.source_file.split_once('/').unwrap().1)
        })
        .unwrap();
    let rel = old_rep.source_file.split_once('/').unwrap().1;
    let early = input.join("2026-11-29").join(rel);
    std::fs::create_dir_all(early.parent().unwrap()).unwrap();
    std::fs::write(&early, &set.files[rel]).unwrap();
    run(&input, &nightly, &["--jobs", "2"]);
    let full3 = dir.path().join("full3");
    run(&input, &full3, &["--jobs", "1", "--full"]);
    let night3 = read_articles(&nightly);
    let new_rep = night3
        .iter()
        .find(|r| r.source_file.starts_with("2026-11-29/") && r.title == old_rep.title)
        .unwrap();
    assert!(
        new_rep.duplicate_of.is_empty(),
        "of two copies of one date, the earlier path is the representative"
    );
    let demoted = night3
        .iter()
        .find(|r| r.article_id == old_rep.article_id)
        .unwrap();
    assert_eq!(
        demoted.duplicate_of, new_rep.article_id,
        "last night's representative is now a copy of the new one"
    );
    assert_same_tables(&nightly, &full3);
}

fn assert_same_tables(a: &Path, b: &Path) {
    let (a, b) = (tables(a), tables(b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(
            bytes == &b[name],
            "{name} differs between the incremental and the full run"
        );
    }
}
