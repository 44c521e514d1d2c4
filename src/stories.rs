//! Story linking: the copies of one story, across the files of a run and across nights.
//!
//! Wire copy and official notices are reprinted by many sites, so one crawl folder holds many
//! copies of one story. Without linking, an analyst who sums a measure by zone counts one
//! story once per copy. This stage, between extract and write, gives every article a story:
//! `articles.story_id` (the same for every copy), `articles.duplicate_of` and
//! `measures.representative`.
//!
//! **The rule.** Two articles are the same story when their bodies match over most of the
//! shorter body and no figure differs in the text they share:
//! - Bodies are compared after the normalizer's folding (simplified script, mirror pinyin
//!   gone) and a further fold here: only Chinese characters and digits are kept, so
//!   punctuation (ASCII or full-width), whitespace, Latin letters and layout do not count.
//! - The folded body is cut into sentences (at `。！？；!?;` and paragraph ends). A sentence
//!   of the shorter body is *shared* when the other body holds the same sentence. The
//!   articles match when the shared sentences hold at least `stories.min_shared` of the
//!   shorter body's characters: a copy cut at 60 % of its length, or with a paragraph added
//!   or dropped, is the same story; a story about the same zone in other words is not.
//! - A sentence that is the same in both bodies once numbers are masked (digits and Chinese
//!   numerals) but differs with them is a *figure conflict*: an updated release with new
//!   numbers is a different story.
//! - Bodies shorter than `stories.min_chars` folded characters (captions, briefs) are never
//!   linked: too little text to tell a reprint from a coincidence.
//!
//! **Linear cost.** Candidates come from a MinHash signature over character shingles of the
//! folded body, banded for locality-sensitive hashing: two bodies that share `J` of their
//! shingles meet in at least one band with probability `1 - (1 - J^r)^b`. The signature is
//! one-permutation MinHash with rotation densification (Shrivastava, ICML 2017): one hash per
//! shingle instead of one per shingle and signature slot, which is what the MinHash crates on
//! crates.io do (`datasketch-minhash-lsh`, `lshdedup-core`, `incrededup`). Every candidate
//! is then verified exactly with the sentence rule above; no pair is compared unless it met
//! in a band. A band's bucket keeps at most `stories.max_bucket` articles, which bounds the
//! work per article however much boilerplate many articles share.
//!
//! **Order.** Articles are linked one after the other in source-file order, so the tables
//! stay byte-identical across runs and `--jobs`: an article joins the story of the first
//! article it matches among its candidates (those sharing the most bands first, then the
//! earliest). The story's *representative*, the copy whose figures are counted, is by
//! default the copy with the earliest `published` date (undated copies after dated ones),
//! then the first in source-file order. (With `stories.representative = "first_copy"` it is
//! the first copy in source-file (byte) order: final as soon as it is linked, so that run
//! writes while it extracts.) A reprint that comes later in the run can then become the
//! representative of copies already seen, so the links are final only once every article
//! has been linked: the run links in a first pass ([`Linker`]) and writes in a second
//! ([`StoryBook`]). `story_id` is the representative's `article_id`. Incremental runs link the
//! cached pages of unchanged files in the same order, so a reprint that arrives tonight
//! joins the story of last week's copy and the tables equal those of `--full`.

use rustc_hash::FxHashMap;

use crate::config::StoriesSection;
use crate::model::Published;

/// The linking rule's parameters, from `[stories]`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryRules {
    /// False: every article is its own story.
    pub enabled: bool,
    /// Bodies with fewer folded characters are never linked.
    pub min_chars: usize,
    /// Sentences with fewer folded characters are left out of the comparison.
    pub min_sentence_chars: usize,
    /// Share of the shorter body's characters that must be in shared sentences.
    pub min_shared: f64,
    /// Characters per shingle of the signature.
    pub shingle_chars: usize,
    /// LSH bands.
    pub bands: usize,
    /// Signature slots per band.
    pub rows_per_band: usize,
    /// Most articles a band's bucket keeps.
    pub max_bucket: usize,
    /// True: the earliest-published copy represents its story; false: the first copy.
    pub earliest_published: bool,
}

impl StoryRules {
    /// The rules of a `[stories]` section (its defaults when the section is absent).
    pub fn from_section(s: &StoriesSection) -> StoryRules {
        StoryRules {
            enabled: s.enabled,
            min_chars: *s.min_chars.get_ref(),
            min_sentence_chars: *s.min_sentence_chars.get_ref(),
            min_shared: *s.min_shared.get_ref(),
            shingle_chars: *s.shingle_chars.get_ref(),
            bands: *s.bands.get_ref(),
            rows_per_band: *s.rows_per_band.get_ref(),
            max_bucket: *s.max_bucket.get_ref(),
            earliest_published: s.representative.get_ref() == "earliest_published",
        }
    }

    /// True when an article's link is final only once every article is linked (a later,
    /// earlier-dated copy may take its story over), so a run writes in a second pass.
    pub fn needs_second_pass(&self) -> bool {
        self.enabled && self.earliest_published
    }

    fn slots(&self) -> usize {
        self.bands * self.rows_per_band
    }
}

/// One sentence of a folded body: hashes with and without its numbers, and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SentencePrint {
    /// Hash of the sentence with every run of numerals replaced by one mark.
    skeleton: u32,
    /// Hash of the whole sentence.
    full: u32,
    /// Folded characters.
    chars: u32,
}

/// What linking keeps of an article: its sentences (for the exact check) and the band keys
/// of its signature (for candidates). Made by [`print_article`] on the worker threads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticlePrint {
    /// Sorted by skeleton, then full hash.
    sentences: Box<[SentencePrint]>,
    /// Folded characters in the compared sentences.
    chars: u32,
    /// One key per band.
    bands: Box<[u32]>,
    /// One bit per sentence (of 128, by its full hash): a sentence whose bit another body
    /// lacks is surely not in it, which rules most candidates out before the exact check.
    bloom: [u64; 2],
}

/// The bit of a sentence in [`ArticlePrint::bloom`].
fn bloom_bit(s: &SentencePrint) -> (usize, u64) {
    ((s.full >> 6 & 1) as usize, 1 << (s.full & 63))
}

/// Digits and Chinese numerals: masked in a sentence's skeleton.
fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || crate::extract::cnum::is_numeral_char(c)
}

/// What a body's comparison sees of a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Folded {
    /// A Chinese character or an ASCII digit.
    Kept(char),
    /// `。！？；!?;`.
    SentenceEnd,
}

/// The characters of `text` that the comparison sees, everything else skipped. Decodes the
/// UTF-8 itself from the lead byte: only the three-byte range (and the rare four-byte Han)
/// can hold what is kept, so the common skips cost a comparison, not a full decode (printing
/// runs over every character of every body, on the workers' critical path).
fn folded_chars(text: &str) -> impl Iterator<Item = Folded> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(&lead) = bytes.get(i) {
            let byte = |k: usize| u32::from(bytes.get(i + k).copied().unwrap_or(0) & 0x3F);
            let (code, width) = match lead {
                0x00..=0x7F => (u32::from(lead), 1),
                0x80..=0xDF => (0, 2), // two-byte (or a stray continuation byte): never kept
                0xE0..=0xEF => (u32::from(lead & 0x0F) << 12 | byte(1) << 6 | byte(2), 3),
                _ => (
                    u32::from(lead & 0x07) << 18 | byte(1) << 12 | byte(2) << 6 | byte(3),
                    4,
                ),
            };
            i += if lead & 0xC0 == 0x80 { 1 } else { width };
            match code {
                0x30..=0x39 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => {}
                0x20000..=0x2FA1F => {}
                // 。！？；!?;
                0x3002 | 0xFF01 | 0xFF1F | 0xFF1B | 0x21 | 0x3F | 0x3B => {
                    return Some(Folded::SentenceEnd)
                }
                _ => continue,
            }
            if let Some(c) = char::from_u32(code) {
                return Some(Folded::Kept(c));
            }
        }
        None
    })
}

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

/// A fast 64-bit finalizer (splitmix64's), so that neighbouring inputs spread over all bits.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Hash of a sequence, fed one value at a time.
#[derive(Clone, Copy)]
struct SeqHash(u64);

impl SeqHash {
    fn new() -> SeqHash {
        SeqHash(MIX)
    }
    /// One multiply per value (FNV-style on whole characters); [`Self::finish`] mixes.
    fn add(&mut self, v: u64) {
        self.0 = (self.0 ^ v).wrapping_mul(0x0000_0100_0000_01B3);
    }
    fn finish(self) -> u32 {
        (mix(self.0) >> 32) as u32
    }
}

/// One shingle in this many is hashed into the signature: a shingle is kept when its rolling
/// hash says so, so two bodies keep the same shingles of the text they share and the
/// signature still estimates their resemblance, at a quarter of the cost.
const SHINGLE_SAMPLE: u64 = 4;

/// The prints of a page's articles, in order (see [`print_article`]).
pub fn print_page(page: &crate::model::Page, rules: &StoryRules) -> Vec<Option<ArticlePrint>> {
    page.articles
        .iter()
        .map(|a| print_article(&a.paragraphs, rules))
        .collect()
}

/// The print of an article body (its paragraphs, normalized); `None` when the body is too
/// short to be linked, or linking is off.
pub fn print_article(paragraphs: &[String], rules: &StoryRules) -> Option<ArticlePrint> {
    if !rules.enabled {
        return None;
    }
    let mut sentences = Vec::new();
    let mut chars = 0u32;
    let mut sentence = Sentence::new();
    let mut signature = Signature::new(rules);
    for p in paragraphs {
        for c in folded_chars(p) {
            match c {
                Folded::Kept(c) => {
                    signature.add(c);
                    sentence.add(c);
                }
                Folded::SentenceEnd => sentence.close(rules, &mut sentences, &mut chars),
            }
        }
        sentence.close(rules, &mut sentences, &mut chars);
    }
    if (chars as usize) < rules.min_chars || signature.shingles == 0 {
        return None;
    }
    sentences.sort_unstable();
    let mut bloom = [0u64; 2];
    for s in &sentences {
        let (w, bit) = bloom_bit(s);
        bloom[w] |= bit;
    }
    Some(ArticlePrint {
        sentences: sentences.into_boxed_slice(),
        chars,
        bands: signature.band_keys(rules),
        bloom,
    })
}

/// Multiplier of the rolling shingle hash.
const BASE: u64 = 0x0000_0100_0000_01B3;

/// One-permutation MinHash of a body's character shingles, fed one character at a time.
struct Signature {
    width: usize,
    /// The last `width` characters, as a ring.
    ring: [u32; 32],
    /// Where the next character goes in `ring`.
    at: usize,
    seen: usize,
    /// Polynomial hash of the window, rolled.
    rolling: u64,
    /// `BASE^(width-1)`, to roll the oldest character out.
    top: u64,
    mins: Vec<u32>,
    filled: Vec<bool>,
    shingles: usize,
}

impl Signature {
    fn new(rules: &StoryRules) -> Signature {
        let width = rules.shingle_chars.clamp(1, 32);
        Signature {
            width,
            ring: [0; 32],
            at: 0,
            seen: 0,
            rolling: 0,
            top: (1..width).fold(1u64, |p, _| p.wrapping_mul(BASE)),
            mins: vec![u32::MAX; rules.slots()],
            filled: vec![false; rules.slots()],
            shingles: 0,
        }
    }

    fn add(&mut self, c: char) {
        let at = self.at;
        self.at = if at + 1 == self.width { 0 } else { at + 1 };
        if self.seen >= self.width {
            let out = u64::from(self.ring[at]).wrapping_mul(self.top);
            self.rolling = self.rolling.wrapping_sub(out);
        }
        self.ring[at] = c as u32;
        self.rolling = self.rolling.wrapping_mul(BASE).wrapping_add(c as u64);
        self.seen += 1;
        // the top bits of one multiply decide the sample; the update below is written without
        // a branch on it, which a random one-in-four choice would mispredict a quarter of the
        // time
        let sample = self.rolling.wrapping_mul(MIX) >> (64 - SHINGLE_SAMPLE.trailing_zeros());
        let kept = self.seen >= self.width && sample == 0;
        self.shingles += usize::from(kept);
        let h = mix(self.rolling);
        // the high half picks the slot, the low half is the value
        let slot = (((h >> 32) * self.mins.len() as u64) >> 32) as usize;
        let v = h as u32;
        if let (Some(min), Some(filled)) = (self.mins.get_mut(slot), self.filled.get_mut(slot)) {
            let lower = kept & (!*filled | (v < *min));
            *min = if lower { v } else { *min };
            *filled |= kept;
        }
    }

    /// The signature, densified, cut into bands and each band hashed to a key.
    fn band_keys(&self, rules: &StoryRules) -> Box<[u32]> {
        let slots = self.mins.len();
        // rotation densification: an empty slot takes the value of the next filled slot to
        // its right (circularly), offset by the distance, so two bodies agree on an empty
        // slot exactly when they agree on the slot it borrows from
        let densified: Vec<u32> = (0..slots)
            .map(|i| {
                (0..slots)
                    .map(|d| (d, (i + d) % slots))
                    .find(|&(_, j)| self.filled[j])
                    .map_or(0, |(d, j)| {
                        if d == 0 {
                            self.mins[j]
                        } else {
                            let v = u64::from(self.mins[j]) ^ (d as u64).wrapping_mul(MIX);
                            (mix(v) >> 32) as u32
                        }
                    })
            })
            .collect();
        densified
            .chunks(rules.rows_per_band)
            .enumerate()
            .map(|(b, rows)| {
                let mut h = SeqHash::new();
                h.add(b as u64);
                for &r in rows {
                    h.add(u64::from(r));
                }
                h.finish()
            })
            .collect()
    }
}

/// The sentence being folded.
struct Sentence {
    skeleton: SeqHash,
    full: SeqHash,
    chars: u32,
    in_number: bool,
}

impl Sentence {
    fn new() -> Sentence {
        Sentence {
            skeleton: SeqHash::new(),
            full: SeqHash::new(),
            chars: 0,
            in_number: false,
        }
    }

    fn add(&mut self, c: char) {
        self.full.add(c as u64);
        let numeral = is_numeral(c);
        if !numeral {
            self.skeleton.add(c as u64);
        } else if !self.in_number {
            self.skeleton.add(u64::MAX); // one mark per run of numerals
        }
        self.in_number = numeral;
        self.chars += 1;
    }

    /// Ends the sentence: keeps it when long enough, and starts the next.
    fn close(&mut self, rules: &StoryRules, out: &mut Vec<SentencePrint>, chars: &mut u32) {
        if self.chars as usize >= rules.min_sentence_chars {
            out.push(SentencePrint {
                skeleton: self.skeleton.finish(),
                full: self.full.finish(),
                chars: self.chars,
            });
            *chars += self.chars;
        }
        *self = Sentence::new();
    }
}

/// False when the bloom bits alone show that too much of the shorter body is not in the
/// other: a cheap test on the query's own sentences and the candidate's bits.
fn may_be_same(query: &ArticlePrint, fulls: &[u32], other: &Member, min_shared: f64) -> bool {
    let shorter = query.chars.min(other.chars);
    let may_miss = ((1.0 - min_shared) * f64::from(shorter)).floor() as u64;
    if query.chars <= other.chars {
        let mut missed = 0u64;
        for s in query.sentences.iter() {
            let (w, bit) = bloom_bit(s);
            if other.bloom[w] & bit == 0 {
                missed += u64::from(s.chars);
                if missed > may_miss {
                    return false;
                }
            }
        }
        true
    } else {
        // the candidate is the shorter: a copy holds most of its sentences, so at least half
        // of its sampled sentences (a consistent sample, by hash) must be in the query
        let sample = &other.sample[..other.sampled as usize];
        let present = sample
            .iter()
            .filter(|h| fulls.binary_search(h).is_ok())
            .count();
        present * 2 >= sample.len()
    }
}

/// Whether two prints are the same story: shared sentences hold at least `min_shared` of
/// the shorter body, and no sentence shared up to its numbers differs in them. Stops as soon
/// as too much of the shorter body is left unshared (most candidates are not copies).
fn same_story(a: &Sentences<'_>, b: &Sentences<'_>, min_shared: f64) -> bool {
    // x: the shorter body
    let (x, y) = if a.chars <= b.chars {
        (a.sentences, b.sentences)
    } else {
        (b.sentences, a.sentences)
    };
    let shorter = a.chars.min(b.chars);
    let may_miss = ((1.0 - min_shared) * f64::from(shorter)).floor() as u64;
    let (mut i, mut j) = (0, 0);
    let mut missed = 0u64;
    while i < x.len() && j < y.len() {
        let skel = x[i].skeleton;
        if skel < y[j].skeleton {
            missed += u64::from(x[i].chars);
            if missed > may_miss {
                return false;
            }
            i += 1;
            continue;
        }
        if skel > y[j].skeleton {
            j += 1;
            continue;
        }
        // the run of this skeleton on each side, each sorted by full hash
        let i_end = i + x[i..].iter().take_while(|s| s.skeleton == skel).count();
        let j_end = j + y[j..].iter().take_while(|s| s.skeleton == skel).count();
        let (mut unmatched_x, mut unmatched_y) = (false, false);
        while i < i_end && j < j_end {
            match x[i].full.cmp(&y[j].full) {
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => {
                    unmatched_x = true;
                    missed += u64::from(x[i].chars);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    unmatched_y = true;
                    j += 1;
                }
            }
        }
        unmatched_x |= i < i_end;
        unmatched_y |= j < j_end;
        if unmatched_x && unmatched_y {
            return false; // the same sentence with other numbers
        }
        missed += x[i..i_end].iter().map(|s| u64::from(s.chars)).sum::<u64>();
        if missed > may_miss {
            return false;
        }
        (i, j) = (i_end, j_end);
    }
    missed += x[i..].iter().map(|s| u64::from(s.chars)).sum::<u64>();
    missed <= may_miss
}

/// An article's place in its story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryLink {
    /// The representative's `article_id`.
    pub story_id: String,
    /// The representative's `article_id` for a copy; `None` for the representative.
    pub duplicate_of: Option<String>,
}

impl StoryLink {
    /// The link of an article that is its own story.
    pub fn own(article_id: &str) -> StoryLink {
        StoryLink {
            story_id: article_id.to_string(),
            duplicate_of: None,
        }
    }

    /// True for the story's representative (the copy whose figures are counted).
    pub fn representative(&self) -> bool {
        self.duplicate_of.is_none()
    }
}

/// A short digest of a file's links, kept in the run state: an unchanged file's CSV rows are
/// copied from the published run only when its articles' stories are unchanged too.
pub fn links_digest(links: &[StoryLink]) -> String {
    let mut h = blake3::Hasher::new();
    for l in links {
        h.update(l.story_id.as_bytes());
        h.update(b"\0");
        h.update(l.duplicate_of.as_deref().unwrap_or_default().as_bytes());
        h.update(b"\n");
    }
    h.finalize().to_hex()[..16].to_string()
}

/// Totals of a linking pass, for the manifest, `status` and the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkCounts {
    /// Articles linked (every article of the run).
    pub articles: usize,
    /// Distinct stories among them.
    pub stories: usize,
    /// Articles that are copies of an earlier one (`duplicate_of` set).
    pub copies: usize,
    /// Candidate pairs verified.
    pub verified: usize,
}

/// Sentences of a member kept inline for the cheap test (the smallest full hashes).
const SAMPLED: usize = 8;

/// An indexed article: what the checks need of its print. The cheap test reads only this
/// struct (one or two cache lines); the exact check reads `sentences`.
struct Member {
    story: u32,
    chars: u32,
    bloom: [u64; 2],
    /// The smallest full hashes of its sentences (a consistent sample), `sampled` of them.
    sample: [u32; SAMPLED],
    sampled: u32,
    /// Where its sentences are in [`Linker::sentences`].
    start: u32,
    len: u32,
}

/// A body's sentences and length, from a print or a member.
struct Sentences<'a> {
    sentences: &'a [SentencePrint],
    chars: u32,
}

impl ArticlePrint {
    fn body(&self) -> Sentences<'_> {
        Sentences {
            sentences: &self.sentences,
            chars: self.chars,
        }
    }
}

impl Member {
    fn body<'a>(&self, arena: &'a [SentencePrint]) -> Sentences<'a> {
        let start = self.start as usize;
        Sentences {
            sentences: &arena[start..start + self.len as usize],
            chars: self.chars,
        }
    }
}

const NO_MEMBER: u32 = u32::MAX;

/// The bucket of a band's key: buckets of different bands never mix.
fn bucket(band: usize, key: u32) -> u64 {
    ((band as u64) << 32) | u64::from(key)
}

/// How a copy ranks for representing its story: the earliest `published` first (undated
/// copies after every dated one), then the first linked (source-file order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    /// `None` sorts after every date: `(false, date)` < `(true, _)`.
    undated: bool,
    date: (i32, u32, u32),
    order: usize,
}

impl Rank {
    fn of(published: Option<Published>, order: usize) -> Rank {
        Rank {
            undated: published.is_none(),
            date: published.map_or((0, 0, 0), |p| (p.year, p.month, p.day)),
            order,
        }
    }
}

/// A story's representative so far.
struct Representative {
    rank: Rank,
    article_id: String,
}

/// A second pass over articles that were linked did not meet them in the same order: the
/// run would write links that belong to other articles, so it stops instead.
#[derive(Debug, thiserror::Error)]
#[error("the story links of {source_file} are out of step with the linking pass ({reason})")]
pub struct OutOfStep {
    /// The file whose articles did not match.
    pub source_file: String,
    /// What did not match.
    pub reason: &'static str,
}

/// The final links of a run, handed out again in the order the articles were linked.
pub struct StoryBook {
    assigned: Vec<u32>,
    representatives: Vec<Box<str>>,
    /// The next article to hand out.
    next: usize,
    counts: LinkCounts,
}

impl StoryBook {
    /// Totals of the linking pass.
    pub fn counts(&self) -> LinkCounts {
        self.counts
    }

    /// The links of the next `article_ids` (one file's articles, in the order they were
    /// linked).
    pub fn next_links<'a>(
        &mut self,
        source_file: &str,
        article_ids: impl ExactSizeIterator<Item = &'a str>,
    ) -> Result<Vec<StoryLink>, OutOfStep> {
        let n = article_ids.len();
        let Some(stories) = self.assigned.get(self.next..self.next + n) else {
            return Err(OutOfStep {
                source_file: source_file.to_string(),
                reason: "more articles than were linked",
            });
        };
        self.next += n;
        let mut links = Vec::with_capacity(n);
        for (&s, id) in stories.iter().zip(article_ids) {
            let rep = self.representatives.get(s as usize).ok_or(OutOfStep {
                source_file: source_file.to_string(),
                reason: "unknown story",
            })?;
            links.push(StoryLink {
                story_id: rep.to_string(),
                duplicate_of: (&**rep != id).then(|| rep.to_string()),
            });
        }
        Ok(links)
    }

    /// Checks that every linked article was handed out.
    pub fn finish(&self) -> Result<(), OutOfStep> {
        if self.next == self.assigned.len() {
            Ok(())
        } else {
            Err(OutOfStep {
                source_file: "the run".to_string(),
                reason: "fewer articles than were linked",
            })
        }
    }
}

/// Links articles, one after the other, to the stories of the articles before them.
pub struct Linker {
    rules: StoryRules,
    /// Bucket ([`bucket`]) → newest member in it, and how many members it holds.
    heads: FxHashMap<u64, (u32, u32)>,
    /// `member * bands + band` → the next (older) member in the same bucket.
    next: Vec<u32>,
    members: Vec<Member>,
    /// The sentences of every member, one after the other.
    sentences: Vec<SentencePrint>,
    /// Per story: its representative so far.
    stories: Vec<Representative>,
    /// Per article linked, in order: its story.
    assigned: Vec<u32>,
    counts: LinkCounts,
    /// Reused candidate list (a member once per band it shares).
    candidates: Vec<u32>,
    /// Reused list of distinct candidates with the number of bands they share.
    ranked: Vec<(std::cmp::Reverse<u32>, u32)>,
    /// The query's sentences' full hashes, sorted.
    fulls: Vec<u32>,
}

impl Linker {
    /// An empty index.
    pub fn new(rules: StoryRules) -> Linker {
        Linker {
            rules,
            heads: FxHashMap::default(),
            next: Vec::new(),
            members: Vec::new(),
            sentences: Vec::new(),
            stories: Vec::new(),
            assigned: Vec::new(),
            counts: LinkCounts::default(),
            candidates: Vec::new(),
            ranked: Vec::new(),
            fulls: Vec::new(),
        }
    }

    /// The rules this linker applies.
    pub fn rules(&self) -> &StoryRules {
        &self.rules
    }

    /// Totals so far.
    pub fn counts(&self) -> LinkCounts {
        self.counts
    }

    /// Links the next article (in source-file order) with id `article_id`, date `published`
    /// and print `print` (`None`: too short to link, its own story). Returns its story's
    /// number; the representative is known once every article is linked ([`Self::finish`]).
    pub fn link(
        &mut self,
        article_id: &str,
        published: Option<Published>,
        print: Option<ArticlePrint>,
    ) -> u32 {
        self.counts.articles += 1;
        let published = published.filter(|_| self.rules.earliest_published);
        let rank = Rank::of(published, self.assigned.len());
        let Some(print) = print else {
            return self.new_story(article_id, rank);
        };
        let bands = self.rules.bands;
        self.candidates.clear();
        for (band, &key) in print.bands.iter().enumerate() {
            let mut m = self
                .heads
                .get(&bucket(band, key))
                .map_or(NO_MEMBER, |&(m, _)| m);
            while m != NO_MEMBER {
                self.candidates.push(m);
                m = self.next[m as usize * bands + band];
            }
        }
        // most shared bands first (the likeliest copies), then article order
        self.candidates.sort_unstable();
        self.ranked.clear();
        for run in self.candidates.chunk_by(|a, b| a == b) {
            self.ranked
                .push((std::cmp::Reverse(run.len() as u32), run[0]));
        }
        self.ranked.sort_unstable();
        self.fulls.clear();
        self.fulls.extend(print.sentences.iter().map(|s| s.full));
        self.fulls.sort_unstable();
        let mut story: Option<u32> = None;
        for &(_, m) in self.ranked.iter() {
            let member = &self.members[m as usize];
            if !may_be_same(&print, &self.fulls, member, self.rules.min_shared) {
                continue;
            }
            self.counts.verified += 1;
            if same_story(
                &print.body(),
                &member.body(&self.sentences),
                self.rules.min_shared,
            ) {
                story = Some(member.story);
                break;
            }
        }
        let story = match story {
            Some(s) => {
                self.counts.copies += 1;
                self.assigned.push(s);
                let rep = &mut self.stories[s as usize];
                if rank < rep.rank {
                    *rep = Representative {
                        rank,
                        article_id: article_id.to_string(),
                    };
                }
                s
            }
            None => self.new_story(article_id, rank),
        };
        self.insert(story, print);
        story
    }

    /// Opens a story whose first copy is this article.
    fn new_story(&mut self, article_id: &str, rank: Rank) -> u32 {
        self.counts.stories += 1;
        let s = self.stories.len() as u32;
        self.stories.push(Representative {
            rank,
            article_id: article_id.to_string(),
        });
        self.assigned.push(s);
        s
    }

    /// The link of `article_id`, just linked into `story`, as it stands now: final when the
    /// first copy represents its story (no later copy can take it over).
    pub fn current(&self, story: u32, article_id: &str) -> StoryLink {
        match self.stories.get(story as usize) {
            Some(rep) if rep.article_id != article_id => StoryLink {
                story_id: rep.article_id.clone(),
                duplicate_of: Some(rep.article_id.clone()),
            },
            _ => StoryLink::own(article_id),
        }
    }

    /// Ends the linking pass: every article's story and every story's representative are
    /// final. The index is dropped here (it is the larger part of the linker's memory).
    pub fn finish(self) -> StoryBook {
        StoryBook {
            assigned: self.assigned,
            representatives: self
                .stories
                .into_iter()
                .map(|r| r.article_id.into_boxed_str())
                .collect(),
            next: 0,
            counts: self.counts,
        }
    }

    /// Adds a member to every band bucket that has room. `self.fulls` holds the print's
    /// sorted full hashes (made by [`Self::link`]).
    fn insert(&mut self, story: u32, print: ArticlePrint) {
        let bands = self.rules.bands;
        let m = self.members.len() as u32;
        self.next.resize(self.next.len() + bands, NO_MEMBER);
        for (band, &key) in print.bands.iter().enumerate() {
            let entry = self
                .heads
                .entry(bucket(band, key))
                .or_insert((NO_MEMBER, 0));
            if (entry.1 as usize) < self.rules.max_bucket {
                self.next[m as usize * bands + band] = entry.0;
                *entry = (m, entry.1 + 1);
            }
        }
        // the smallest distinct full hashes, from the sorted list link() made for the query
        let mut sample = [0u32; SAMPLED];
        self.fulls.dedup();
        let sampled = self.fulls.len().min(SAMPLED);
        sample[..sampled].copy_from_slice(&self.fulls[..sampled]);
        // the sentences go into one arena owned by the linker: hundreds of thousands of
        // small boxes kept for the whole run fragment the workers' heaps (1 GB: +45 s of CPU)
        let start = self.sentences.len() as u32;
        self.sentences.extend_from_slice(&print.sentences);
        self.members.push(Member {
            story,
            chars: print.chars,
            bloom: print.bloom,
            sample,
            sampled: sampled as u32,
            start,
            len: print.sentences.len() as u32,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`folded_chars`] must give: the same as classifying every decoded character.
    fn folded_reference(text: &str) -> Vec<Folded> {
        text.chars()
            .filter_map(|c| {
                if crate::lexicon::is_han(c) || c.is_ascii_digit() {
                    Some(Folded::Kept(c))
                } else if matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';') {
                    Some(Folded::SentenceEnd)
                } else {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn folded_chars_decode_like_chars() {
        let text = "新华社北京12月6日电 𠀀𪚥高新区!营收?增长；Café ©2025、\u{2FA1F}\u{2FA20}\
                    \u{33FF}\u{3400}\u{4DBF}\u{4DC0}\u{9FFF}\u{A000}\u{F8FF}\u{F900}\u{FAFF}\
                    \u{FB00}😀〇零。！？;１２３ abc/9";
        assert_eq!(
            folded_chars(text).collect::<Vec<_>>(),
            folded_reference(text)
        );
        let every: String = (0..=0x10FFFFu32)
            .step_by(7)
            .filter_map(char::from_u32)
            .collect();
        assert_eq!(
            folded_chars(&every).collect::<Vec<_>>(),
            folded_reference(&every)
        );
    }

    fn rules() -> StoryRules {
        StoryRules::from_section(&StoriesSection::default())
    }

    fn paras(text: &str) -> Vec<String> {
        text.split('\n').map(str::to_string).collect()
    }

    const STORY: &str =
        "本报讯 滨江高新区今年前三季度实现营业收入1280亿元,同比增长12.5%,增速居全省第一。\n\
        园区新引进科技型企业46家,其中高新技术企业19家;新增发明专利授权320件。\n\
        管委会负责人介绍,下一步将围绕集成电路和生物医药两大主导产业,建设一批专业孵化器。\n\
        截至9月底,园区已累计培育上市企业12家,科创板上市企业数量位居全市前列。";

    #[test]
    fn a_cut_copy_with_other_punctuation_is_the_same_story() {
        let r = rules();
        let a = print_article(&paras(STORY), &r).unwrap();
        let cut: String = STORY.chars().take(STORY.chars().count() * 6 / 10).collect();
        let cut = cut.replace(',', "\u{FF0C}").replace('。', "。 ");
        let b = print_article(&paras(&cut), &r).unwrap();
        assert!(same_story(&a.body(), &b.body(), r.min_shared));
        assert!(same_story(&b.body(), &a.body(), r.min_shared));
    }

    #[test]
    fn changed_figures_or_other_words_are_another_story() {
        let r = rules();
        let a = print_article(&paras(STORY), &r).unwrap();
        let updated = STORY.replace("1280亿元", "1310亿元");
        let b = print_article(&paras(&updated), &r).unwrap();
        assert!(!same_story(&a.body(), &b.body(), r.min_shared));
        let other = "滨江高新区前三季度营收突破千亿元大关,主导产业集成电路产值快速增长。\n\
            园区今年引进一批科技企业和高新技术企业,发明专利授权数量明显提升。\n\
            下一步,园区将建设专业孵化器,培育更多上市企业,推动生物医药产业集聚发展。";
        let c = print_article(&paras(other), &r).unwrap();
        assert!(!same_story(&a.body(), &c.body(), r.min_shared));
    }

    fn date(year: i32, month: u32, day: u32) -> Option<Published> {
        Some(Published {
            year,
            month,
            day,
            precision: crate::model::DatePrecision::Day,
        })
    }

    #[test]
    fn the_linker_joins_copies_and_keeps_others_apart() {
        let mut l = Linker::new(rules());
        let r = l.rules().clone();
        let when = date(2024, 5, 10);
        let first = l.link("a-001", when, print_article(&paras(STORY), &r));
        let extra = format!("{STORY}\n记者从园区获悉,明年园区计划再建两个创新中心,服务中小企业。");
        let copy = l.link("b-001", when, print_article(&paras(&extra), &r));
        let updated = STORY.replace("46家", "48家");
        let other = l.link("c-001", when, print_article(&paras(&updated), &r));
        let short = l.link(
            "d-001",
            when,
            print_article(&paras("图片新闻 园区一角。"), &r),
        );
        assert_eq!(copy, first);
        assert_ne!(other, first);
        assert_ne!(short, first);
        let counts = l.counts();
        assert_eq!((counts.articles, counts.stories, counts.copies), (4, 3, 1));
        let mut book = l.finish();
        let links = book
            .next_links("p", ["a-001", "b-001", "c-001", "d-001"].into_iter())
            .unwrap();
        assert!(links[0].representative());
        assert_eq!(links[1].duplicate_of.as_deref(), Some("a-001"));
        assert_eq!(links[1].story_id, "a-001");
        assert!(links[2].representative());
        assert_eq!(links[3], StoryLink::own("d-001"));
        book.finish().unwrap();
    }

    #[test]
    fn the_earliest_published_copy_represents_its_story_then_the_first_linked() {
        let mut on = rules();
        on.earliest_published = true;
        let mut l = Linker::new(on);
        let r = l.rules().clone();
        let print = || print_article(&paras(STORY), &r);
        // undated first, then a late copy, then two copies of the earliest date
        l.link("a-001", None, print());
        l.link("b-001", date(2024, 5, 10), print());
        l.link("c-001", date(2024, 3, 1), print());
        l.link("d-001", date(2024, 3, 1), print());
        let mut book = l.finish();
        let links = book
            .next_links("p", ["a-001", "b-001", "c-001", "d-001"].into_iter())
            .unwrap();
        assert!(links.iter().all(|k| k.story_id == "c-001"), "{links:?}");
        assert!(links[2].representative());
        assert_eq!(
            links
                .iter()
                .filter(|k| k.duplicate_of.as_deref() == Some("c-001"))
                .count(),
            3
        );
        book.finish().unwrap();
    }

    #[test]
    fn a_second_pass_out_of_step_with_the_first_is_refused() {
        let mut l = Linker::new(rules());
        let r = l.rules().clone();
        l.link("a-001", None, print_article(&paras(STORY), &r));
        let mut book = l.finish();
        assert!(book
            .next_links("p", ["a-001", "a-002"].into_iter())
            .is_err());
        let mut book2 = {
            let mut l = Linker::new(rules());
            l.link("a-001", None, None);
            l.link("a-002", None, None);
            l.finish()
        };
        book2.next_links("p", ["a-001"].into_iter()).unwrap();
        assert!(book2.finish().is_err());
    }

    #[test]
    fn linking_off_gives_every_article_its_own_story() {
        let mut r = rules();
        r.enabled = false;
        assert!(print_article(&paras(STORY), &r).is_none());
    }
}
