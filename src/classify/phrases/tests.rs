use super::*;

#[test]
fn tables_build_and_phrases_are_normalized() {
    for t in TABLES.iter().copied().chain(std::iter::once(&DATA_STAGE)) {
        assert!(!t.phrases.is_empty(), "{} is empty", t.name);
        for p in t.phrases {
            let raw = p.text.trim_end_matches('*');
            assert_eq!(
                crate::classify::text::normalize(raw),
                raw,
                "phrase not normalized: {:?}",
                p.text
            );
        }
    }
    assert!(!hits("user unknown").is_empty());
}
