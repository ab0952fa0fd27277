

def test_an_unchanged_rebuild_merges_nothing_and_a_grown_one_only_the_new_triples(samples, mixed_corpus, tmp_path):
    from kg.builder import build_corpus

    cache = tmp_path / "cache"

    def build(folder):
        from kg.builder import save_state

        result = build_corpus([folder], cache_dir=cache, work_dir=tmp_path)
        save_state(result, tmp_path / "out", {}, cache)
        return result

    first = build(samples)
    assert first.last_build is None
    again = build(samples)
    assert again.unchanged and again.merged == cache / "last-build.nt"  # the last build's graph, not merged again
    grown = build(mixed_corpus)
    assert not grown.unchanged and grown.last_build.keys <= grown.state_keys
    for result in (first, again, grown):
        result.close()
