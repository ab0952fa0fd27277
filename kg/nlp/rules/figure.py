"""Economic figures: trade, exports, imports, targets and investment, in USD, with period and partners.

An amount in US dollars ("14,1 tỷ USD") is a figure when an indicator phrase names it
("kim ngạch thương mại song phương năm 2024 đạt ...") in its clause. Its period is stated
after it ("3,55 tỷ USD năm 2017"), in its clause or sentence ("10 tháng đầu năm 2025, ...",
"tính đến tháng 10/2025"), or carried from the report's earlier sentences ("Trong đó,
...") — the carried period is an explicit value passed from sentence to sentence, as is
the last indicator (a clause that goes on with "đạt" keeps it). Targets ("phấn đấu đạt",
"nâng ... lên") are kept apart from values reached. A country's own total trade, aid and
budgets are not a pair's figures.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from kg.compiled import regex
from kg.nlp.entities import Mention
from kg.nlp.lexicon import Lexicon
from kg.nlp.records import EconomicFigure, Evidence, Ref
from kg.nlp.rules.view import ArticleView, Sentence
from kg.text import WB_BEFORE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FigureWords:
    money: re.Pattern
    scale: dict[str | None, Decimal]
    usd: frozenset[str]
    indicators: tuple[tuple[re.Pattern, str], ...]
    targets: re.Pattern
    blockers: tuple[str, ...]
    change_after: re.Pattern
    change_before: re.Pattern
    fall: frozenset[str]
    projects: re.Pattern
    comparison: re.Pattern
    quarter: re.Pattern
    months_of_year: re.Pattern
    year: re.Pattern
    months_no_year: re.Pattern
    year_to_date: re.Pattern
    last_year: re.Pattern
    this_year: re.Pattern
    same_time_last_year: re.Pattern
    last_year_compared: re.Pattern
    numbers: dict[str, int]
    quarters: dict[str, int]
    stock: re.Pattern
    continues: re.Pattern
    reached: re.Pattern
    and_or: re.Pattern
    by_year: re.Pattern
    registered_after: re.Pattern
    target_year_after: re.Pattern
    year_after: re.Pattern
    two_way: re.Pattern
    total_trade: re.Pattern
    own_total: re.Pattern
    to_words: str
    from_words: str
    not_bloc: tuple[str, ...]
    starting_value: re.Pattern
    reached_since: re.Pattern

    @classmethod
    def load(cls, lex: Lexicon) -> "FigureWords":
        scale: dict[str | None, Decimal] = {None: Decimal(1)}
        for row in lex.of_kind("money_scale"):
            for p in row["phrases"]:
                scale[p] = Decimal(10) ** int(row["power"])
        return cls(
            money=lex.pattern("figure.money"),
            scale=scale,
            usd=frozenset(lex.phrases("figure.usd")),
            indicators=tuple((regex(lex.expand(rf"<<WB>>{re.escape(p)}<<WE>>"), re.IGNORECASE), v)
                             for p, v in lex.valued("indicator")),
            targets=lex.words("figure.target"),
            blockers=lex.phrases("figure.blocker"),
            change_after=lex.pattern("figure.change_after"),
            change_before=lex.pattern("figure.change_before"),
            fall=frozenset(p.lower() for p in lex.phrases("figure.fall")),
            projects=lex.pattern("figure.projects"),
            comparison=lex.pattern("figure.comparison"),
            quarter=lex.pattern("period.quarter"),
            months_of_year=lex.pattern("period.months_of_year"),
            year=lex.pattern("period.year"),
            months_no_year=lex.pattern("period.months_no_year"),
            year_to_date=lex.pattern("period.year_to_date"),
            last_year=lex.pattern("period.last_year"),
            this_year=lex.pattern("period.this_year"),
            same_time_last_year=lex.pattern("period.same_time_last_year"),
            last_year_compared=lex.pattern("period.last_year_compared"),
            numbers=lex.numbers("number_word"),
            quarters=lex.numbers("quarter_numeral"),
            stock=lex.pattern("figure.stock"),
            continues=lex.pattern("figure.continues"),
            reached=lex.pattern("figure.reached"),
            and_or=lex.pattern("figure.and_or"),
            by_year=lex.pattern("figure.by_year"),
            registered_after=lex.pattern("figure.registered_after"),
            target_year_after=lex.pattern("figure.target_year_after"),
            year_after=lex.pattern("figure.year_after"),
            two_way=lex.pattern("figure.two_way"),
            total_trade=lex.pattern("figure.total_trade"),
            own_total=lex.pattern("figure.own_total"),
            to_words=lex.alternation("figure.to_words"),
            from_words=lex.alternation("figure.from_words"),
            not_bloc=lex.phrases("figure.not_bloc"),
            starting_value=lex.pattern("figure.starting_value"),
            reached_since=lex.pattern("figure.reached_since"),
        )


@dataclass(frozen=True)
class Carried:
    """What one sentence of a report tells the next: its period and its last indicator."""

    period: str | None = None
    indicator: str | None = None


def parse_number(text: str) -> Decimal:
    """Vietnamese number: '.' groups thousands, ',' marks decimals ('1.160' = 1160, '1,4' = 1.4)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return Decimal(text.replace(".", ""))
    return Decimal(text.replace(",", "."))


def figures(view: ArticleView, words: FigureWords) -> Iterator[EconomicFigure]:
    """Every figure of the article; the report's period and indicator carry from sentence to sentence."""
    carried = Carried()
    for sentence in view.sentences:
        found, carried = sentence_figures(view, words, sentence, carried)
        yield from found


def sentence_figures(view: ArticleView, w: FigureWords, sentence: Sentence,
                     carried: Carried) -> tuple[list[EconomicFigure], Carried]:
    """The figures of one sentence, and what it carries to the next."""
    text = sentence.text
    moneys = list(w.money.finditer(text))
    if not moneys:
        return [], carried
    stock = w.stock.search(text) and not w.year_to_date.search(text)
    inherited = carried.period if carried.period and (w.continues.match(text) or not stock) else None
    period_out = carried.period
    out: list[EconomicFigure] = []
    previous_end = 0
    last_indicator = None
    for money in moneys:
        clause_start = max(text.rfind(";", 0, money.start()) + 1, previous_end)
        scope = text[clause_start:money.start()]
        indicator = _indicator(w, scope)
        # the clause goes on with the sentence's indicator: '...; 6 tháng đầu năm 2012 đạt 1,2 tỷ USD',
        # '..., năm nay hai bên phấn đấu đạt mục tiêu 2 tỷ USD', '... 7 tỷ USD vào năm 2015 và 10 tỷ USD'
        if indicator is None and last_indicator is not None and "(" not in scope and \
                (w.reached.search(scope) or w.and_or.fullmatch(scope) or w.by_year.fullmatch(scope)):
            indicator = "Trade" if last_indicator == "TradeTarget" and w.reached.search(scope) \
                and not w.targets.search(scope) else last_indicator
        if indicator is None and last_indicator is None and carried.indicator in ("Trade", "TradeTarget") \
                and w.targets.search(scope):
            indicator = "TradeTarget"  # 'Hai bên phấn đấu đạt 5 tỷ USD trong năm 2011' after a trade figure
        if indicator is None and w.registered_after.match(text, money.end()):
            indicator = "RegisteredInvestment"
        if indicator is None:
            continue
        if any(b in scope for b in w.blockers):
            log.debug("figure dropped: blocked context %r", scope[-60:])
            continue
        unit = money["unit"]
        if unit not in w.usd:
            continue
        is_target = indicator == "TradeTarget" or (indicator == "Trade" and _aimed_at(w, text, money.start()))
        if is_target:
            indicator = "TradeTarget"
        value = parse_number(money["a"]) * w.scale[money["scale"]]
        max_value = parse_number(money["b"]) * w.scale[money["scale"]] if money["b"] else None
        rest = text[money.end():]
        change = w.change_after.search(rest) or w.change_before.search(scope)
        change_percent = change_factor = None
        if change:
            if change["pct"]:
                pct = parse_number(change["pct"])
                change_percent = -pct if change["dir"].lower() in w.fall else pct
            else:
                change_factor = parse_number(change["factor"])
        clause_text = text[clause_start:money.end()]
        after = w.target_year_after.match(rest) if is_target else w.year_after.match(rest)
        if after:  # '3,55 tỷ USD năm 2017', 'lên 15 tỷ USD vào năm 2020'
            period = after.group("y")
        elif is_target:
            period = period_of(view, w, clause_text, sentence=text)
        else:
            period = period_of(view, w, clause_text, sentence=text) or period_of(view, w, text[:clause_start],
                                                                                  sentence=text)
        if period is None and inherited and not is_target:
            period = inherited
        if period and not is_target:
            period_out = period  # even when this figure is dropped: it dates the report's next ones
        projects = None
        counted = w.projects.search(text[clause_start:money.start()]) or w.projects.search(text[:money.start()])
        if counted and indicator == "RegisteredInvestment":
            projects = int(counted["n"].replace(".", ""))
        partners = _direction(view, w, sentence, indicator, clause_start, money.start())
        if partners is None:
            log.debug("figure dropped: countries unknown in %r", text[:80])
            continue
        source, target, between = partners
        previous_end = money.end()
        last_indicator = indicator
        out.append(EconomicFigure(
            indicator=indicator, value=value, unit="USD", max_value=max_value, period=period,
            change_percent=change_percent, change_factor=change_factor, projects=projects,
            source=source, target=target, between=between,
            evidence=Evidence(sentence.start, sentence.end, f"figure.{indicator.lower()}", 0.8)))
    return out, Carried(period_out, last_indicator if last_indicator is not None else carried.indicator)


def _aimed_at(w: FigureWords, text: str, at: int) -> bool:
    """Whether the amount at `at` is a value aimed at: a target word earlier in its clause ('mong muốn
    thúc đẩy kim ngạch từ 3,5 tỷ USD lên 10 tỷ USD'), but not the value it starts from ('từ 3,5 tỷ
    USD') nor one reached since ('mục tiêu 10 tỷ USD, hiện đạt 6 tỷ USD')."""
    clause = text[text.rfind(";", 0, at) + 1:at]
    targets = list(w.targets.finditer(clause))
    if not targets or w.starting_value.search(clause):
        return False
    after = clause[targets[-1].end():]
    return not w.reached_since.search(after)


def _indicator(w: FigureWords, scope: str) -> str | None:
    """The indicator the last phrase before the amount names; a phrase inside a longer one does not count."""
    found = [(m.start(), m.end(), value) for regex, value in w.indicators for m in regex.finditer(scope)]
    found = [f for f in found if not any(o[0] <= f[0] and f[1] <= o[1] and (o[1] - o[0]) > (f[1] - f[0])
                                         for o in found)]
    if not found:
        return None
    return max(found, key=lambda f: (f[0], f[1] - f[0]))[2]


def period_of(view: ArticleView, w: FigureWords, text: str, sentence: str | None = None) -> str | None:
    """The period a figure covers: '2024', '2025-Q1', '2023-01/2023-11'; None when not stated.

    The last period named in `text` counts; `sentence` is where a comparison that dates
    'năm ngoái' may be ('năm ngoái đạt X, tăng 8% so với năm 2010')."""
    clean = w.comparison.sub(" ", text)
    found: list[tuple[int, str]] = []
    for m in w.quarter.finditer(clean):
        q = w.quarters.get(m["q"]) or int(m["q"])
        found.append((m.start(), f"{m['y']}-Q{q}"))
    for m in w.year_to_date.finditer(clean):  # 'tính đến tháng 10/2025': January to October
        n = int(m["m"])
        found.append((m.start(), m["y"] if n == 12 else f"{m['y']}-01/{m['y']}-{n:02d}"))
    for m in w.months_of_year.finditer(clean):
        n = _count(w, m["n"])
        if n == 3 and m["first"]:
            found.append((m.start(), f"{m['y']}-Q1"))
        elif n == 12:
            found.append((m.start(), m["y"]))
        elif 1 <= n <= 11:
            found.append((m.start(), f"{m['y']}-01/{m['y']}-{n:02d}"))
    for m in w.year.finditer(clean):
        if not any(s <= m.start() < s + 40 and m.start() > s for s, _ in found):
            found.append((m.start(), m["y"]))
    if found:
        return max(found)[1]
    base_year = view.date.year if view.date else view.stated_year
    m = w.months_no_year.search(clean)
    if m and base_year:
        n = 6 if m["half"] else _count(w, m["n"])
        if n == 3:
            return f"{base_year}-Q1"
        if 1 <= n <= 11:
            return f"{base_year}-01/{base_year}-{n:02d}"
    if w.last_year.search(clean) and not w.same_time_last_year.search(text):
        compared = w.last_year_compared.search(sentence or text)
        if compared:
            return str(int(compared.group(1)) + 1)
        if base_year:
            return str(base_year - 1)
    if w.this_year.search(clean):
        if base_year:
            return str(base_year)
        year = view.year_hint[0] or view.this_year_from_comparison(view.text)
        if year:
            return str(year)
    return None


def _count(w: FigureWords, word: str) -> int:
    return int(word) if word.isdigit() else w.numbers.get(word.lower(), 0)


def _direction(view: ArticleView, w: FigureWords, sentence: Sentence, indicator: str, clause_start: int,
               money_start: int):
    """(source, target, between) of a figure; None when its countries cannot be told.

    A partner may be a bloc ('Việt Nam - EU', 'các nước ASEAN'). A figure about two other
    countries (a third country's trade) and a country's own total trade are dropped."""
    main = [Ref("country", k) for k in view.main_countries]
    text = sentence.text
    partners = [m for m in sentence.mentions if m.kind == "country" or
                (m.kind == "organization" and _is_bloc(view, w, m))]

    def ref(m: Mention) -> Ref:
        return Ref(m.kind, m.key)

    if len(main) < 2:
        blocs = [ref(m) for m in partners if m.kind == "organization"]
        if not blocs or not main:
            return None
        main.append(blocs[0])
    home, partner = main[0], main[1]

    def partner_after(words: str, limit: int = 40) -> Ref | None:
        for m in re.finditer(rf"{WB_BEFORE}(?:{words}) ", text[:money_start]):
            if m.start() < clause_start:
                continue  # another figure's words: '..., xuất khẩu của A sang B đạt X, nhập khẩu từ B đạt Y'
            for c in partners:
                if 0 <= sentence.rel(c.start) - m.end() <= limit:
                    return ref(c)
        return None

    named = list(dict.fromkeys(ref(c) for c in partners if sentence.rel(c.start) < money_start))
    if len(named) >= 2 and home not in named:
        return None  # another pair's figure: 'Trung Quốc là đối tác lớn nhất của Brazil với ...'
    if not named and len(view.main_countries) < 2:
        return None
    two_way = w.two_way.search(text)
    if not two_way and indicator == "Trade" and (
            (not named and w.total_trade.search(text[:money_start]))
            or (len(named) == 1 and w.own_total.search(text[clause_start:money_start]))):
        return None  # a country's total trade, not a pair's
    if indicator in ("Trade", "TradeTarget"):
        pair = named[:2] if len(named) >= 2 else ([home, named[0]] if named and named[0] != home else [home, partner])
        return None, None, tuple(sorted(set(pair)))
    to = partner_after(w.to_words)
    frm = partner_after(w.from_words)
    if indicator == "Import":
        src = frm or (partner if to in (None, home) else None)
        dst = to if to and to != src else (home if src != home else partner)
    else:
        subject = next((ref(c) for c in partners if sentence.rel(c.start) < money_start and ref(c) != to), None)
        dst = to or (partner if (frm or subject or home) == home else home)
        src = frm if frm and frm != dst else (subject if subject and subject != dst else
                                              (home if dst != home else partner))
    if src is None or dst is None or src == dst:
        return None
    return src, dst, ()


def _is_bloc(view: ArticleView, w: FigureWords, m: Mention) -> bool:
    """An international body that trades as one partner (EU, ASEAN), not a ministry or a party."""
    info = view.info(m)
    return info is not None and info.country is None and not info.name.startswith(w.not_bloc)
