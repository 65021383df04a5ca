"""Numbers and strings printed into HTML are formatted once per process and then looked up
(``report.formatting``): a looked-up value is the one the steps give, and the caches stay bounded."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from slp_assess.report import formatting
from slp_assess.report.formatting import finalize_html, html_escape, number, print_html, tamed, template_escape
from slp_assess.rounding import format_score

# Plain text, markup characters, controls, bidi openers and characters beyond the BMP.
TEXTS = st.text(alphabet=st.sampled_from(list("aZ ü„“<>&\"'\x00\x1b\x7f\x85\u202e\u2067\u202c\u2069\ufffe🏘\n")), max_size=30)


@settings(max_examples=300)
@given(TEXTS)
def test_a_printed_string_is_what_the_steps_print_first_and_every_time_after(text):
    expected = template_escape(finalize_html(text))
    assert print_html(text) == expected  # computed (or found: the examples repeat)
    assert print_html(text) == expected  # found
    assert type(print_html(text)) is Markup
    assert html_escape(text) == str(template_escape(tamed(text)))
    assert type(html_escape(text)) is str


def test_markup_and_other_values_are_not_taken_for_a_string_of_the_same_text():
    assert print_html("<b>") == "&lt;b&gt;"
    assert print_html(Markup("<b>")) == "<b>"
    assert print_html("<b>") == "&lt;b&gt;"
    assert print_html(7) == "7"
    assert html_escape(Markup("<b>\x00")) == "<b>\ufffd"  # our own pieces still lose their controls


SCORES = st.one_of(st.floats(min_value=-100, max_value=100, allow_nan=False),
                   st.sampled_from([0.0, -0.0, 0.05, -0.05, 49.95, 49.949999999, 62.25, 100.0]),
                   st.integers(min_value=-100, max_value=100))


@settings(max_examples=300)
@given(SCORES, st.sampled_from(["de", "en"]))
def test_a_number_is_what_the_rounding_rule_prints_first_and_every_time_after(value, lang):
    assert number(value, lang) == format_score(value, lang)
    assert number(value, lang) == format_score(value, lang)


def test_minus_zero_and_zero_keep_their_own_text_whichever_came_first():
    first = [number(0.0, "de"), number(-0.0, "de")]
    assert first == [format_score(0.0, "de"), format_score(-0.0, "de")]
    assert [number(-0.0, "en"), number(0.0, "en")] == [format_score(-0.0, "en"), format_score(0.0, "en")]


def test_the_caches_stay_bounded_and_keep_no_long_text():
    long_text = "Anmerkung " * 40
    print_html(long_text)
    assert long_text not in formatting._printed
    for n in range(formatting._CACHE_ENTRIES + 50):
        print_html(f"Partnerschaft {n}")
        number(n / 10 + 0.01, "de")
    assert 0 < len(formatting._printed) <= formatting._CACHE_ENTRIES
    assert 0 < len(formatting._scores) <= formatting._CACHE_ENTRIES
    assert print_html("Partnerschaft 3") == "Partnerschaft 3"
