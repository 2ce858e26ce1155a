"""The report's sections: each a function of the edition (``open_edition``) that returns what it shows.

``notebooks/05_report.ipynb`` opens an edition (its language, the processed tables, the quoted numbers, the
ledger) and shows each section in turn; it computes nothing. A section returns its parts — Markdown or HTML — in
the order a reader sees them; every number in them went through the ledger (``report.ledger.Report``), which
formats it for the edition and links it to its source. Sections run in the order of the report: a later one may
use a number an earlier one quoted (``e.gers_pp``), as the paragraphs of a text do.

Every sentence is a message of the ``report`` catalog (``locales/fr/LC_MESSAGES/report.po``): written once, in
English, inside ``_("…")``; numbers go in after translation.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from divide_study.analysis import findings, quoted, quoting, readings
from divide_study.analysis import sensitivity as sens
from divide_study.analysis import series as series_analysis
from divide_study.analysis.chart_files import figure_file
from divide_study.analysis.evidence import grade_findings, list_separator
from divide_study.analysis.metrics import derived_from_share, headlines, nature_family, qualifier_of, which_is_lower
from divide_study.analysis.models import cost_natures as natures_of_costs
from divide_study.analysis.models import ended_unsaid, funder_codes, money_comparison
from divide_study.analysis.quoting import slug
from divide_study.analysis.study import load_study
from divide_study.analysis.timeline import NATIONAL_GOAL, NOT_YET, own_targets
from divide_study.config import project_path, schema_of
from divide_study.data.lookup import reference_id
from divide_study.data.tables import read_table
from divide_study.errors import DataError, StudyError
from divide_study.i18n import Translator
from divide_study.language.datatext import DataText, check_data_text, data_text
from divide_study.language.formats import half_up, significant
from divide_study.language.labels import Labels
from divide_study.report import models_section, panel_section, series_section
from divide_study.report import tables as reader
from divide_study.report.layout import anchor
from divide_study.report.ledger import Report, esc, readable_number
from divide_study.report.method_tables import METHOD_TABLES

Part = tuple[str, str]  # ("markdown" or "html", the text)


# The funders whose money the summary and the readings of the two fibre networks set side by side: the local
# authorities'.
LOCAL_FUNDERS = ("departement", "intercommunalities")


class Edition(SimpleNamespace):
    """Everything the sections of one edition share: the ledger ``r``, the study's tables, the edition's words
    (``_``, ``L``, ``words``, ``F``), and the parts shown since the last section (``take``)."""

    def take(self) -> list[Part]:
        """The parts the last section made, in order; the next section starts with none."""
        made = list(self.parts)
        self.parts.clear()
        return made


def open_edition(lang: str, processed_dir: str | Path, figures_dir: str | Path) -> Edition:
    """The edition in ``lang`` of the study published in ``processed_dir`` and ``figures_dir``."""

    processed, figures_in = project_path(processed_dir), project_path(figures_dir)
    study = load_study(processed)
    check_data_text(processed, lang)  # every data word this edition shows has its translation, else file/row/column

    def table(name):
        return read_table(processed / f"{name}.csv", schema_of(name), validate=False)

    results = {
        n: table(n)
        for n in (
            "comparison",
            "cost_figures",
            "benchmarks",
            "public_money",
            "take_up",
            "targets",
            "deployment_pace",
            "models",
            "programme_outcomes",
            "sensitivity",
            "scenarios",
        )
    }
    comparison, costs, bench, money, uptake, targets, pace, models, soho, sensitivity, scenarios = results.values()
    r = Report(
        study.figures,
        study.sources,
        study.external,
        figure_keys=[
            "cost_per_premise",
            "cost_per_inhabitant",
            "cost_scopes",
            "cost_per_mbit",
            "eligibility",
            "milestones",
            "models",
            "programme_outcomes",
            "sensitivity_tornado",
            "sensitivity_tornado_mbit",
            # the national sections' figures, last (declared here so earlier prose can name them)
            "national_panel",
            "fibre_series",
        ],
        table_keys=[
            "decision",
            "findings",
            "initiatives",
            "comparison",
            "costs",
            "benchmarks",
            "money",
            "targets",
            "take_up",
            "models",
            "soho",
            "sensitivity",
            "refused",
            "scenarios",
            "readings",
            "panel_placement",
            "press_claims",
            "fibre_pace",
            "series_claims",
            "sources",
            "references",
            "provenance",
            "panel_numbers",
            "series_numbers",
        ],
        evidence=study.evidence,
        lang=lang,
        publishers=study.reference_classes,
    )
    _ = r._  # the edition's words: every sentence below is a message of the 'report' catalog (divide_study.i18n)
    ngettext = _.ngettext  # a message whose form follows a count
    F = r.formats  # the edition's number and date formats
    # The study's focus and what it is compared with: the first headline of headlines.csv (data, not code).
    _unused, GERS, CASTRES = next(iter(study.headline_pairs().values()))
    PROGRAMME = study.programmes()[0]
    # The model the others are not: the first concession of initiatives.csv (data, not code).
    TARN = next(
        i for i in study.networks() if study.initiatives.set_index("initiative").loc[i, "model"] == "concession"
    )
    names = {i: study.short_name(i) for i in study.initiatives["initiative"]}
    L = Labels(study.labels, lang)  # what a reader sees in place of each code (data/raw/labels.csv)
    words = DataText(lang, study.words)  # the data's own words in the edition's language (data/raw/words.csv)
    r.words = words  # and in the provenance entries (a reference row's name, a source)

    # A table as the edition shows it: rows are chosen on the data's English words first, then translated.
    def in_words(frame, name):
        return data_text(frame, None, lang, name, study.words)

    r.labels = L  # table headers that are codes, and yes/no columns, read as words
    r.names = names  # initiatives by their short names in the provenance entries
    r.quoted = quoted.load(processed)  # the numbers the analysis steps publish for the report, with their sources
    QUESTIONS = findings.questions(names[GERS], names[PROGRAMME], lang)
    base_year = r.quote("compare.base_year")
    head = headlines(comparison, study.headline_pairs())
    # Every compared network: a finding's grade rests on each figure it quotes (the Tarn's plan per plug too).
    graded = findings.evaluation_findings(
        comparison,
        costs,
        money[money["initiative"] == GERS],
        uptake,
        targets[targets["initiative"] == GERS],
        soho,
        study.evidence,
        GERS,
        models,
        QUESTIONS,
        lang,
        study.words,
        # The focus's targets and counts the study reads as another measure: a conversion, graded as one.
        tuple(
            study.progress.loc[
                (study.progress["initiative"] == GERS) & (study.progress["reading"] != ""), "evidence_id"
            ]
        ),
    )
    # The paces on the State's series over the concession's years (the summary's pace line), graded by the same
    # rules from the series' reads they rest on; a median of comparable départements rests on the study's choice
    # of them, an assumption.
    pace_keys = [
        f"series.{i}.{what}.tarn_concession"
        for i in (TARN, GERS)
        for what in ("points_per_year", "peers_points_per_year")
    ]
    pace_reads = findings.series_evidence(r.quoted, pace_keys, study.reference_classes)
    on_the_series = grade_findings(
        pace_reads,
        [
            {
                "key": "series_pace",
                "question": findings.series_question(lang),
                "inputs": [*pace_reads["evidence_id"], "assumption:comparable_departements"],
                "agreement": "single",
            }
        ],
        lang,
        study.words,
    )
    after = graded.index[graded["key"] == "models"][0] + 1  # beside the models' finding, whose pace it measures
    graded = pd.concat([graded.iloc[:after], on_the_series, graded.iloc[after:]], ignore_index=True)
    strength = graded.set_index("key")["strength"].to_dict()
    central_cost = comparison[(comparison["initiative"] == GERS) & (comparison["metric"] == "cost")].iloc[0]
    parts: list[Part] = []

    def md(text):
        parts.append(("markdown", text))

    def show(text):
        parts.append(("html", text))

    def choice_words(choice):
        """A choice of the sensitivity analysis, in words."""
        return reader.bound_label(choice, study.initiatives, L)

    r.choice_words = choice_words

    def heading(name, text, level=2):
        """A section heading in the edition's words, with a fixed anchor (the same in every edition): ``name``, the
        English heading, as ASCII (``layout.anchor``: accents transliterated)."""
        show(f'<h{level} id="{anchor(name)}">{esc(text)}</h{level}>')

    def badge(key):
        words = _("evidence: {strength}").format(strength=L("strength", strength[key]))
        return f'<span class="strength strength-{strength[key]}">{esc(words)}</span>'

    def chart(key):
        """The chart of this edition's language: figures/NAME.png in English, figures/NAME.fr.png in French."""
        return figures_in / figure_file(key, lang)

    nature_of = study.evidence.set_index("evidence_id")["amount_nature"]
    # What each network's public money is ("planned", "put in"), in words: said wherever it is quoted.
    money_natures = {
        i: L("amount_nature", nature_of[money_id])
        for i, money_id in zip(models["initiative"], models["public_money_id"], strict=True)
        if money_id
    }

    def quoted_nature(key):
        """What the amount a step quoted under ``key`` is ("planned", "spent to date"), in words (not escaped)."""
        pairs = quoted.parse_row_key(r.quoted.loc[key, "source_row"])
        evidence_id = pairs.get("figure_id") or "|".join(pairs[k] for k in ("topic", "figure", "as_of"))
        return L("amount_nature", nature_of[evidence_id])

    # What each network's cost (all money, public and private) is: a plan and spending are never one row unsaid.
    cost_natures = {
        i: quoted_nature(f"compare.{i}.cost_nominal")
        for i in models["initiative"]
        if f"compare.{i}.cost_nominal" in r.quoted.index
    }

    def amount(key, fmt=None, scale=1.0):
        """An amount in euros a step quoted from a source, and what it is in words ("planned", "spent to date"),
        escaped for HTML: a sentence that shows both may quote a plan or a need, since it says which it is."""
        words = esc(quoted_nature(key))  # a label is data: escaped for the sentence's HTML
        return r.quote(key, fmt, scale, unit="EUR", natures=quoted.NATURES), words

    checked_claims = table("series_claims")
    fibre_series = table("fibre_series")

    def national_on_series(initiative, role):
        """A national goal (its role in roles.csv) on the State's series for the initiative's whole département:
        the quoted keys of the share aimed at by fibre (the study's reading of the goal), of its due date and of
        the series' share then (the quarter holding the date, or the end point after the series ends)."""
        code = series_section.departement_of(r.quoted, fibre_series, initiative)[0]
        found = checked_claims[
            (checked_claims["test"] == "target")
            & (checked_claims["department"] == code)
            & (checked_claims["evidence_id"] == study.role(role))
        ]
        if len(found) != 1:
            raise StudyError(
                f"series_claims.csv: {len(found)} target checks of {study.role(role)!r} in département {code}; "
                "the report needs exactly one"
            )
        row = found.iloc[0].to_dict()
        name = f"series.claim.{slug(row['claim_id'])}"
        return f"{name}.claimed", f"{name}.as_of", series_section.series_value_key(row, {code: initiative})

    endpoint_dates = table("fibre_endpoint_2026")

    def on_the_series(chosen):
        """Rows of targets.csv (``chosen``) on the State's series for their initiative's whole département
        (``series_analysis.targets_on_the_series``), with the quoted key of each share shown ("" where no claim
        checks the target)."""
        # Only a network the series step placed in a département has a series to be set against.
        networks = [i for i in dict.fromkeys(chosen["initiative"]) if f"series.{i}.share_first" in r.quoted.index]
        codes = {i: series_section.departement_of(r.quoted, fibre_series, i)[0] for i in networks}
        found = series_analysis.targets_on_the_series(
            chosen,
            checked_claims,
            dict(zip(endpoint_dates["department"], endpoint_dates["as_of"].astype(str), strict=True)),
            codes,
        )
        by_claim, initiatives_of = checked_claims.set_index("claim_id"), {v: k for k, v in codes.items()}
        keys = [
            series_section.series_value_key({**by_claim.loc[c].to_dict(), "claim_id": c}, initiatives_of) if c else ""
            for c in found["claim_id"]
        ]
        return found.assign(key=keys)

    def own_targets_on_series(networks):
        """Each network's first own target on the State's series: {network: (share, quoted key)}."""
        own = own_targets(targets[targets["initiative"].isin(networks)])
        first = own.drop_duplicates("initiative")
        found = on_the_series(first)
        return {
            i: (share, key)
            for i, share, key in zip(first["initiative"], found["series_share"], found["key"], strict=True)
            if key
        }

    return Edition(**{k: v for k, v in locals().items() if k not in ("processed_dir", "figures_dir")})


def title(e: Edition) -> list[Part]:
    """The title and subtitle."""
    F, _, names, show, study = e.F, e._, e.names, e.show, e.study
    studied = [names[i] for i in study.initiatives["initiative"]]  # every initiative, in the order of the data
    title = _("French answers to the rural digital divide")  # also the page's title (build.pipeline.REPORT_TITLE)
    show(
        f"<h1>{esc(title)}</h1>"
        + '<p class="subtitle">{}</p>'.format(
            _("{initiatives}: an evaluation from the French press and cited public data").format(
                initiatives=esc(F.join(studied))
            )
        )
        # The abstract: what the evaluation does, in words (its numbers are the summary's, each traced).
        + '<p class="abstract">{}</p>'.format(
            esc(
                _(
                    "This evaluation sets these answers to the rural digital divide side by side: what each cost per "
                    "premise and in public money, who carried the risk, how far and how fast each reached its own "
                    "target, and how many took it up. It reads them in the French press and in cited public data, "
                    "grades the evidence behind each finding, says what the data cannot support, and traces every "
                    "number to the words or the table it comes from."
                )
            )
        )
    )
    return e.take()


def questions(e: Edition) -> list[Part]:
    """The questions the evaluation asks."""
    QUESTIONS, _, heading, show = e.QUESTIONS, e._, e.heading, e.show
    heading("what-this-evaluation-asks", _("What this evaluation asks"))
    # A block of its own, so that print sets it as compactly as the summary it shares the second page with.
    show(
        '<div class="questions"><ol>'
        + "".join(f"<li>{esc(q)}</li>" for q in QUESTIONS.values())
        + "</ol><p>"
        + esc(
            _(
                "Each finding below carries the strength of its evidence, derived from the class of its sources "
                "(official, independent press, or an interested party's claim), their qualifiers (bounds, "
                "approximations), any assumption of the study among its inputs, and whether the sources agree."
            )
        )
        + "</p></div>"
    )
    return e.take()


def fibre_cheaper_per_mbit(e: Edition) -> None:
    """The report says that per Mbit/s the Gers's fibre is the cheaper at every speed assumed for it: only where
    the per-Mbit/s headline, over the Gers speeds tried, never reaches one (``sensitivity.lower_throughout``);
    otherwise the sentence cannot be said, and the build stops."""
    headline = "ratio_cost_per_mbit"
    key = f"sensitivity.{headline}.{slug(e.GERS + '.speed')}"
    low, high = (float(e.r.quoted.loc[f"{key}.{end}", "value"]) for end in ("low", "high"))
    if not sens.lower_throughout(e.study.headline_pairs()[headline], low, high, e.GERS):
        raise StudyError(
            f"data/processed/quoted_sensitivity.csv, rows [key={key}.low] and [key={key}.high], column 'value': "
            f"over the speeds assumed for {e.GERS} the per-Mbit/s ratio runs from {low:.2f} to {high:.2f}, so fibre "
            "is not the cheaper at every speed; the report's sentences saying it are not true of these data"
        )


def delay_bearers(e: Edition, concession_row, focus_row, values: dict) -> str:
    """The summary's first sentence on risk: who bears the risk of delay in the concession and in the focus network,
    by the code of models.csv (``delay_risk_bearer``, the study's reading of each contract); a bearer the cited
    sources do not name is said so, never guessed."""
    _ = e._
    bearers = {
        "public_body": _("the public body bears the risk of delay"),
        "company": _("the company bears the risk of delay"),
        "concessionaire": _("the concessionaire bears the risk of delay"),
        "not_cited": _("the cited sources do not say who bears it"),
    }
    said = {}
    for key, row in (("tarn_risk", concession_row), ("gers_risk", focus_row)):
        code = row.get("delay_risk_bearer") or ""
        if code not in bearers:
            raise StudyError(
                f"data/processed/models.csv: {row.name!r} has delay_risk_bearer {code!r}; the summary says who bears "
                f"the risk of delay for a network only as one of {sorted(bearers)}"
            )
        said[key] = bearers[code]
    # The risk a contract puts on a party, not a payment: the Tarn's penalties are reckoned, none shown paid.
    return _(
        "By the study's reading of each contract, in the {concession} concession {tarn_risk}; in the {gers} "
        "network, {gers_risk}."
    ).format(**said, concession=values["concession"], gers=values["gers"])


def pace_against_peers(e: Edition, values: dict) -> str:
    """The summary's first sentence on pace: each fibre network's département against the median of its comparable
    départements on the State's barometer, over the concession's window (Table 18), compared as printed (one
    decimal), so the sentence never says "faster" of two numbers the reader sees as equal."""
    _ = e._
    quoted = e.r.quoted["value"]
    window = "tarn_concession"

    def against(initiative: str) -> str:
        # Rounded as the edition writes them (a half away from zero, formats.half_up; Python's round() goes to even).
        own = half_up(float(quoted[f"series.{initiative}.points_per_year.{window}"]), 1)
        peers = half_up(float(quoted[f"series.{initiative}.peers_points_per_year.{window}"]), 1)
        return "faster" if own > peers else "slower" if own < peers else "as_fast"

    first = {
        "faster": _("gained faster than its comparable départements"),
        "slower": _("gained more slowly than its comparable départements"),
        "as_fast": _("gained as fast as its comparable départements"),
    }[against(e.TARN)]
    second = {
        "faster": _("faster than its own"),
        "slower": _("more slowly than its own"),
        "as_fast": _("as fast as its own"),
    }[against(e.GERS)]
    return _(
        "On the State's barometer (whole départements), the {concession} {first}, the {gers_departement} {second}."
    ).format(first=first, second=second, **values)


def own_target_verdict(e: Edition) -> str:
    """The answer to "on time against its own target?", first in the summary's item on pace: whether the focus
    network's latest count in its deadline year met its own target (targets.csv, counts of what the target counts
    only), and when a later count of the same kind first passed it."""
    _ = e._
    own = own_targets(e.targets[e.targets["initiative"] == e.GERS])
    if len(own) != 1:
        raise StudyError(
            f"data/processed/targets.csv: the summary needs one own target of {e.GERS!r}, found {len(own)}"
        )
    row = own.iloc[0]
    if row["achieved_by_then"] != row["achieved_by_then"]:
        return _("<strong>Its own target:</strong> no count of what it counts in its deadline year.")
    if float(row["achieved_by_then"]) >= float(row["target_share"]) - 1e-9:
        return _("<strong>Its own target met</strong> in its deadline year.")
    if row["reached_on"] == NOT_YET:
        return _("<strong>Behind its own target</strong> in its deadline year, and not yet reached by a later count.")
    return _(
        "<strong>Behind its own target</strong> in its deadline year; a later count of the same kind first passes it "
        "in {reached_on}."
    ).format(reached_on=e.r.quote(f"compare.{e.GERS}.own_target.reached_on"))


def summary(e: Edition) -> list[Part]:
    """The executive summary: each finding with the strength of its evidence, and the findings table."""
    CASTRES, GERS, L, PROGRAMME, _, badge, base_year, graded, heading, r, show = (
        e.CASTRES,
        e.GERS,
        e.L,
        e.PROGRAMME,
        e._,
        e.badge,
        e.base_year,
        e.graded,
        e.heading,
        e.r,
        e.show,
    )
    heading("executive-summary", _("Executive summary"))
    F = e.F
    gers_pp = r.quote(f"compare.{GERS}.cost_per_premise", "{:,.0f} €")
    castres_pp = r.quote(f"compare.{CASTRES}.cost_per_premise", "{:,.0f} €")
    castres_year = r.quote(f"compare.{CASTRES}.price_year")
    gers_cost, gers_nature = e.amount(f"compare.{GERS}.cost_nominal", "{:,.0f}", 1e-6)
    castres_nature = esc(e.cost_natures[CASTRES])  # its words only: the amount itself is not quoted here
    spent_by = r.quote(f"compare.{GERS}.cost_nominal.on")
    plugs = r.quote(f"compare.{GERS}.premises", "{:,.0f}")
    castres_speed = r.quote(f"compare.{CASTRES}.speed", unit="Mbit/s")
    low = r.quote("sensitivity.ratio_cost_per_premise.low", "{:.1f}")
    high = r.quote("sensitivity.ratio_cost_per_premise.high", "{:.1f}")
    speed_low = r.quote(f"sensitivity.{GERS}.speed_assumed.lowest", unit="Mbit/s", natures=["assumption"])
    speed_high = r.quote(f"sensitivity.{GERS}.speed_assumed.highest", unit="Mbit/s", natures=["assumption"])
    target_own = r.quote(f"compare.{GERS}.own_target", "{:.0%}", unit="share")
    achieved_own = r.quote(f"compare.{GERS}.own_target.achieved", "{:.0%}", unit="share")
    own_by = r.quote(f"compare.{GERS}.own_target.by")
    achieved_on = r.quote(f"compare.{GERS}.own_target.achieved_on")
    completed = r.quote(f"compare.{GERS}.national_goal_fibre_everywhere.reached_on")
    national_by = r.quote(f"compare.{GERS}.national_goal_fibre_everywhere.by", "{:.0f}")
    # The national goals on the State's series for the whole département: one count, not the network's own.
    aim_2022, on_2022, share_2022 = e.national_on_series(GERS, "national_goal_very_high_speed")
    share_end = e.national_on_series(GERS, "national_goal_fibre_everywhere")[2]
    national_words = dict(
        aim_2022=r.quote(aim_2022, "{:.0%}", unit="share", natures=["assumption"]),
        on_2022=r.quote(on_2022, natures=["assumption"]),
        share_2022=r.quote(share_2022, "{:.0%}", unit="share"),
        share_end=r.quote(share_end, "{:.1%}", unit="share"),
        on_end=r.quote(f"series.{GERS}.endpoint_2026.on"),
    )
    families = r.quote(f"programmes.{PROGRAMME}.families", unit="families")
    families_by = r.quote(f"programmes.{PROGRAMME}.families.on")
    people_low = r.quote(f"programmes.{PROGRAMME}.people.lowest", unit="people")
    people_high = r.quote(f"programmes.{PROGRAMME}.people.highest", unit="people")
    per_family = r.quote(f"programmes.{PROGRAMME}.people_per_family", "{:.1f}")
    # The decision table's networks: the focus and the concession, both fibre (Castres-Mazamet's DSL and WiFi is
    # context, not a model to rank). Their rows of models.csv, in the edition's words.
    networks = [GERS, e.TARN]
    models_in_words = e.in_words(e.models, "models.csv")
    decided = models_in_words.set_index("initiative").loc[networks]
    # The decision table's paces over the same years as the summary's (the concession's window, Table 17): two
    # paces from different starts are never set side by side.
    pace_key = "series.{initiative}.points_per_year.tarn_concession"
    paces = {i: float(r.quoted.loc[pace_key.format(initiative=i), "value"]) for i in networks}
    gers_row, tarn_row = decided.loc[GERS], decided.loc[e.TARN]
    # Table 1's row of local public money (the Département's and the intercommunalities', State and Région left
    # out): what each side's source counts of it, each cell saying whose money it holds.
    local_money = same_funder_money(e, networks, LOCAL_FUNDERS)
    same_funders, _gers_extra, _tarn_extra = money_comparison(
        gers_row["public_money_covers"], tarn_row["public_money_covers"]
    )

    def funders(codes: str) -> str:
        return esc(F.join([L("funder", c) for c in funder_codes(codes)]))

    def money_per_plug(row) -> str:
        if row["public_money_per_premise"] != row["public_money_per_premise"]:
            return ""  # an amount no premise count shares is never divided
        return models_section.hedged(
            Translator(r.lang, "analysis"),  # the decision table's words ("at most …"), in the edition's language
            r.quote(
                f"compare.{row.name}.money.{slug(row['public_money_id'])}.per_premise",
                "{:,.0f} €",
                unit="EUR_per_premise",
            ),
            row.get("public_money_per_premise_qualifier", ""),
        )

    decision_values = dict(
        table=r.table_ref("decision"),
        gers=esc(e.names[GERS]),
        concession=esc(e.names[e.TARN]),
        gers_pp=money_per_plug(gers_row),
        tarn_pp=money_per_plug(tarn_row),
        gers_covers=funders(gers_row["public_money_covers"]),
        tarn_covers=funders(tarn_row["public_money_covers"]),
        gers_scope=esc(L("scope", gers_row["public_money_scope"])),
        gers_delay=esc(gers_row["delay_risk"]),
        tarn_delay=esc(tarn_row["delay_risk"]),
        penalties=r.ref(e.TARN, "contractual penalties for delay (about)", fmt="{:,.0f}", scale=1e-6),
        tarn_built=r.ref(e.TARN, "plugs built at the contractual deadline"),
        tarn_due=r.ref(e.TARN, "plugs to build"),
        # Gers Fibre's own figures, by their roles: an investment and a need, never money put in.
        phase2=r.evidence(e.study.role("focus_cost_phase_2"), "{:,.0f}", 1e-6),
        need=r.evidence(e.study.role("focus_funding_need_phase_2"), "{:,.0f}", 1e-6),
        # One window for both (the concession's, Table 17's "tarn_concession"): two paces over different years are
        # never set side by side; each beside the median of its own comparable départements.
        gers_pace=r.quote(f"series.{GERS}.points_per_year.tarn_concession", "{:.1f}"),
        tarn_pace=r.quote(f"series.{e.TARN}.points_per_year.tarn_concession", "{:.1f}"),
        gers_peers=r.quote(f"series.{GERS}.peers_points_per_year.tarn_concession", "{:.1f}"),
        tarn_peers=r.quote(f"series.{e.TARN}.peers_points_per_year.tarn_concession", "{:.1f}"),
        pace_from=r.quote(f"series.{e.TARN}.own_network.measured_from"),
        pace_to=r.quote(f"series.{e.TARN}.own_network.measured_to"),
        pace_table=r.table_ref("fibre_pace"),
        # The focus's département by its name, as the series names it (the Tarn's is the concession's own name).
        gers_departement=esc(series_section.departement_of(r.quoted, e.fibre_series, GERS)[1]),
    )
    money_words = (
        _("amounts of the same funders, so they can be set side by side")
        if same_funders
        else _(
            "amounts of different funders ({tarn_covers} for the first; {gers_covers}, over {gers_scope}, for the "
            "second), so they are not compared"
        ).format(**decision_values)
    )
    money_label = _("<strong>Public money per plug, current euros:</strong>")
    if gers_row["public_money_per_premise"] == gers_row["public_money_per_premise"]:
        verdict = _("Their public money per plug: {money_words}.").format(money_words=money_words)
        money_lead = _(
            "the {concession} concession's plan provided {tarn_pp} of public money per plug planned and the {gers} "
            "network's at {gers_pp} per plug, but these are {money_words}"
        ).format(money_words=money_words, **decision_values)
    else:
        # The only public amount of the Gers paid for copper upgrades and WiFi too: no count of fibre plugs shares
        # its scope, so no per-plug figure exists to set beside the Tarn's (Table 1 says so; item 3 gives the amount).
        # Both sides' amounts below are local money only (State and Région money is in neither): the label says so
        # before any amount, so no reader takes them for all the public money each network cost.
        # In constant euros, like Table 1's and the cost per plug of item 2: each amount along its years of
        # spending (the study's assumption), so a plan of 2019 and money put in from 2014 are in the same euros.
        money_label = _(
            "<strong>Local authorities' money per plug (State and Région money left out on both sides), in "
            "{base_year} euros:</strong>"
        ).format(base_year=base_year)
        # Local public money (Table 1's row): the Gers Département's own money per plug, said as its claim;
        # a summary that cannot say it is an error, never a dash in a sentence.
        if local_money is None:
            raise StudyError(
                "data/processed/public_money.csv: the summary needs one amount of local public money divided by plugs "
                f"for each of {networks} (one row each, covers within departement;intercommunalities); found none or "
                "several for one"
            )
        # The Département's own amount, and the local money derived from it by its stated share of the syndicate's
        # funding (an assumption): the Tarn's amount counts the intercommunalities' money too.
        own = quoting.money_keys(money_of(e, GERS, ("departement",)).to_frame().T).iloc[0]["per_premise_constant"]
        local = local_money[1][GERS]
        tarn_local = local_money[1][e.TARN]
        unconverted = [
            i
            for i, key in ((GERS, own), (GERS, local["constant_key"]), (e.TARN, tarn_local["constant_key"]))
            if not key
        ]
        if unconverted:
            raise StudyError(
                "data/processed/public_money.csv: the summary gives local money per plug in constant euros; an amount "
                f"of {unconverted[0]} has no years of spending to convert it (per_premise_constant is empty)"
            )
        if not local["derived"]:
            raise StudyError(
                "data/processed/public_money.csv: the summary sets the Gers Département's own money beside the local "
                f"money derived from its share; no derived row of {GERS} covers departement;intercommunalities"
            )
        # Which of the two networks' local money per plug is the lower, where their natures and bounds say it; a
        # plan is never set above or below money put in.
        order = which_is_lower(
            (tarn_local["constant"], tarn_local["qualifier"], tarn_local["nature_code"]),
            (local["constant"], local["qualifier"], local["nature_code"]),
        )
        # Money that also paid for copper upgrades and WiFi is above its money per fibre plug: an order that puts
        # the other side below it says nothing (readings.wider_works), whichever side it is.
        if (order == "first" and readings.wider_works(tarn_local, local)) or (
            order == "second" and readings.wider_works(local, tarn_local)
        ):
            order = "different_works"
        works_verdict = _(
            "The sources do not say which model cost public money less: the {concession}'s amount is {first}; the "
            "{gers} network's is {second} and also paid for {works}."
        )
        verdict = {
            "different_nature": _(
                "The sources do not say which model cost public money less: the {concession}'s amount is {first}; the "
                "{gers} network's is {second}, so their bounds rank nothing."
            ),
            "first": _("By their bounds, the {concession}'s is the lower."),
            "second": _("By their bounds, the {gers} network's is the lower."),
            "undetermined": _("Their bounds do not say which is the lower."),
            "different_works": works_verdict,
        }[order].format(
            first=esc(tarn_local["nature"]),
            second=esc(local["nature"]),
            works=works_words(e, local["also_paid_for"] or tarn_local["also_paid_for"]),
            **decision_values,
        )
        # Every other reading of public money the sources allow (the Sensitivity section's table) ranks them no
        # better: said so. Where a plan and money put in are not ranked, what their bounds alone would say is said
        # as a condition on the plan ("were it kept"), never as a ranking.
        pairs = gers_tarn_readings(e)[1]
        ranked = pairs[(pairs["measure"] == readings.PUBLIC_MONEY) & pairs["verdict"].isin(["first", "second"])]
        unranked = ranked.empty
        as_planned = which_is_lower(
            (tarn_local["constant"], tarn_local["qualifier"], tarn_local["nature_code"]),
            (local["constant"], local["qualifier"], tarn_local["nature_code"]),
        )
        # Whose amount is which, named in each verdict ("the Tarn's amount is planned, the Gers network's put in").
        whose = dict(
            first=esc(tarn_local["nature"]),
            second=esc(local["nature"]),
            concession=decision_values["concession"],
            gers=decision_values["gers"],
            readings=r.table_ref("readings"),
        )
        # Were the plan kept, the Tarn's amount would rank below the Gers's only if the Gers's paid for no more
        # than fibre: money that also paid for copper upgrades and WiFi is above its money per fibre plug.
        if as_planned == "first" and readings.wider_works(tarn_local, local):
            as_planned = "different_works"
        if unranked and order == "different_nature" and as_planned == "first":
            verdict = _(
                "The sources do not say which model cost public money less: the {concession}'s amount is {first}, the "
                "{gers} network's {second}; were the {concession}'s plan kept, its amount would be the lower by their "
                "bounds, and no other reading of their public money ranks them ({readings})."
            ).format(**whose)
        elif unranked and order == "different_nature" and as_planned == "different_works":
            verdict = works_verdict.format(works=works_words(e, local["also_paid_for"]), **whose)
            order = "different_works"
        elif unranked and order == "different_nature":
            verdict = _(
                "The sources do not say which model cost public money less: the {concession}'s amount is {first}, the "
                "{gers} network's {second}; neither their bounds nor any other reading of their public money "
                "({readings}) ranks them."
            ).format(**whose)
        if unranked and order in ("undetermined", "different_works"):
            verdict += " " + _("No other reading of their public money ranks them either ({table}).").format(
                table=r.table_ref("readings")
            )
        money_lead = _(
            "{tarn_local_pp} planned in the {concession} concession (its funders as the study reads its source); in the "
            "{gers} network, at least {gers_dept_pp} put in by the Département (over "
            "{dept_amount} million euros{for_works} over the {plugs} plugs the network was said to have in {plugs_on}), and at least {gers_local_pp} with the "
            "intercommunalities' money if the Département's was its {dept_share} share of the local funding (stated "
            "in {share_on}; the study's <em>assumption</em> that this split held for all the works)"
        ).format(
            gers_dept_pp=r.quote(own, "{:,.0f} €", unit="EUR_per_premise"),
            # What else the Département's money paid for, where it did (its money per fibre plug is lower still).
            for_works=(
                _(" for all its works, {works} included by the study's reading,").format(
                    works=works_words(e, local["also_paid_for"])
                )
                if local["also_paid_for"]
                else ""
            ),
            dept_amount=r.evidence(e.study.role("focus_departement_money"), "{:,.0f}", 1e-6),
            plugs=r.ref(GERS, "total plugs of the network"),
            plugs_on=r.as_of(e.study.role("focus_plugs_total")),
            gers_local_pp=r.quote(local["constant_key"], "{:,.0f} €", unit="EUR_per_premise"),
            tarn_local_pp=models_section.hedged(
                Translator(r.lang, "analysis"),
                r.quote(tarn_local["constant_key"], "{:,.0f} €", unit="EUR_per_premise"),
                tarn_local["qualifier"],
            ),
            dept_share=r.quote(local["share_key"], "{:.0%}", unit="share"),
            share_on=r.as_of(local["share_id"]),
            **decision_values,
        )
    # First the answer, in one sentence per part of the question (which model at what public cost, with what risk,
    # how fast), then a line for each part with its numbers, each quotable alone.
    lead = "<br>".join(
        [
            _("<strong>In short ({table}).</strong> {verdict} {risk} {pace}").format(
                table=decision_values["table"],
                verdict=verdict,
                risk=delay_bearers(e, tarn_row, gers_row, decision_values),
                pace=pace_against_peers(e, decision_values),
            ),
            money_label + " {money_lead}.",  # the label's words, then the amounts (formatted below)
            _(
                "<strong>Risk of delay:</strong> in the {concession} "
                "concession, borne by {tarn_delay} (about {penalties} million euros reckoned by the Département, none shown "
                "paid; {tarn_built} of its {tarn_due} plugs built at the deadline, by the Département's count); in the "
                "{gers} network, {gers_delay}."
            ),
            badge("series_pace")
            + " "
            + _(
                "<strong>Pace:</strong> on the State's barometer, {pace_from} to {pace_to} ({pace_table}), the whole "
                "département's share of premises able to connect (private zones included: not the public network's "
                "pace alone) gained {tarn_pace} points a year in the {concession} (comparable départements' median: "
                "{tarn_peers}) and {gers_pace} in the {gers_departement} (its comparable départements' "
                "median: {gers_peers}). Gers Fibre (second phase, with Orange) gives its own investment of about "
                "{phase2} million and funding need of {need} million euros (its claims), neither the public money put in "
                "nor a pace of its own."
            ),
        ]
    ).format(money_lead=money_lead, **decision_values)
    points = [
        ("models", lead),
        (
            "cost",
            _(
                "What the {gers} network had cost per plug by its last count of spending (a lower bound of its final "
                "total cost), whoever paid (public and private money; phase 1's copper upgrades and WiFi included, by "
                "the study's reading; constant euros of {base_year}): {gers_pp} ({gers_cost} million euros, "
                "{gers_nature}, {spent_by}, over the {plugs} plugs it was said to have, along an "
                "<em>assumed</em> even spending profile), or {gers_whole_pp} if the {final_cost} million euros stated at "
                "completion ({final_on}) are the whole works, as {final_site} presents them, not phase 2 alone as the "
                "study reads them. The {concession} concessionaire's plan came to {tarn_pp} per plug planned "
                "({tarn_plan} million euros, {tarn_plan_on}; {tarn_later} million in {tarn_later_on}, by the Département's "
                "account): a plan, not spending."
            ),
        ),
        (
            "which_cost",
            _(
                "The sources disagree on what the Gers network cost (from {cost_low} million euros ({low_nature}) to "
                "{cost_high} million ({high_nature}), of different scopes). Its gap with Castres-Mazamet's DSL and WiFi "
                "network of {castres_year} ({castres_pp} per premise in {base_year} euros, {castres_nature}) mixes "
                "technology, era, housing density and scope: it does not measure the model (ratio: {ratio_table}); per "
                "Mbit/s, fibre is the cheaper at every speed assumed for the Gers ({speed_low} to {speed_high}; "
                "{mbit_figure})."
            ),
        ),
        (
            "pace",
            own_target_verdict(e)
            + " "
            + _(
                'Its target: {target_own} of inhabitants "connected" by {own_by} (its promoter\'s words, read by the '
                "study as eligible); {achieved_own} eligible on {achieved_on} by its director's count. On the "
                "State's series for the whole département, {share_2022} of premises could connect to fibre on {on_2022}, "
                "when the national plan aimed at {aim_2022} by fibre (a national aggregate, not a target set for each "
                "département); on ARCEP's data (re-published by a third party), "
                "{share_end} on {on_end}; the network said its zone complete on {completed}."
            ),
        ),
    ]
    fibre_cheaper_per_mbit(e)  # item 3 says so
    # The concessionaire's plan (a reference row), its date and its later amount.
    tarn_plan_id = f"{e.TARN}|total investment by the concessionaire|2019"
    cost_low, low_nature = e.amount(f"compare.{GERS}.cost_figures.lowest", "{:,.0f}", 1e-6)
    cost_high, high_nature = e.amount(f"compare.{GERS}.cost_figures.highest", "{:,.0f}", 1e-6)
    values = dict(
        gers_pp=gers_pp,
        castres_pp=castres_pp,
        castres_year=castres_year,
        base_year=base_year,
        gers_cost=gers_cost,
        gers_nature=gers_nature,
        spent_by=spent_by,
        completed=completed,
        plugs=plugs,
        cost_low=cost_low,
        low_nature=low_nature,
        cost_high=cost_high,
        high_nature=high_nature,
        castres_nature=castres_nature,
        ratio_table=r.table_ref("sensitivity"),
        mbit_figure=r.figure_ref("cost_per_mbit"),
        speed_low=speed_low,
        speed_high=speed_high,
        target_own=target_own,
        own_by=own_by,
        achieved_own=achieved_own,
        achieved_on=achieved_on,
        **national_words,
        gers=esc(e.names[GERS]),
        concession=esc(e.names[e.TARN]),
        # The other reading of the cost stated at completion (the whole works), a scenario of the sensitivity step.
        gers_whole_pp=r.quote(
            f"sensitivity.scenario.final_cost_whole_works.{GERS}_cost_per_premise", "{:,.0f} €", unit="EUR_per_premise"
        ),
        final_cost=r.ref(GERS, "final cost at completion", fmt="{:,.0f}", scale=1e-6),
        final_on=r.as_of(e.study.role("focus_cost_at_completion")),
        final_site=r.site_of(e.study.role("focus_cost_at_completion")),
        tarn_pp=models_section.hedged(
            Translator(r.lang, "analysis"),  # "at most …": a plan over "plus de 138 000 prises"
            r.quote(f"compare.{e.TARN}.cost_per_premise", "{:,.0f} €", natures=quoted.NATURES),
            qualifier_of(e.comparison, e.TARN, "cost_per_premise"),
        ),
        tarn_plan=r.ref(e.TARN, "total investment by the concessionaire", fmt="{:,.0f}", scale=1e-6),
        tarn_plan_on=r.as_of(tarn_plan_id),
        tarn_later=revised_plan(e, tarn_plan_id),
        tarn_later_on=revised_plan_on(e, tarn_plan_id),
    )
    # Questions 7 and 8 (take-up, Soho Solo): one item, each part with the strength of its own finding; the take-up
    # as the take-up section quotes it.
    use_and_programme = (
        _(
            "<strong>Take-up:</strong> in {subscribers_on}, {take_up} of the {gers} network's premises able to "
            "connect had subscribed by one reading of its sources, or {take_up_low} of all the département's "
            'dwellings able to connect by the other; a local news site gives "over" '
            "{cited} ({take_up_table})."
        ).format(**focus_take_up(e), gers=esc(e.names[GERS]), take_up_table=r.table_ref("take_up"))
        + " "
        + badge("programme")
        + " "
        + _(
            "<strong>{programme}:</strong> {families} families settled by {families_by}, by the business press reporting "
            "its promoter (a claim, not a result); later counts are of people, between {people_low} and {people_high}, "
            "which would make at most {per_family} people per family claimed ({soho_table})."
        ).format(
            programme=esc(e.names[PROGRAMME]),
            families=families,
            families_by=families_by,
            people_low=people_low,
            people_high=people_high,
            per_family=per_family,
            soho_table=r.table_ref("soho"),
        )
    )
    points.append(("take_up", use_and_programme))
    formatted = {"models", "take_up"}  # their text is already formatted, each part with its own values
    show(
        '<div class="summary"><ol>'
        + "".join(
            f"<li>{badge(key)} {text if key in formatted else text.format(**values)}</li>" for key, text in points
        )
        + "</ol></div>"
    )
    shown, cells, worded = models_section.decision_table(
        models_in_words,
        networks,
        e.study.contracts,
        L,
        lambda text, column: str(e.words(text, "contracts.csv", column)),
        paces,
        e.money_natures,
        pace_key=pace_key,
        same_years=True,
        same_funder=local_money,
        base_year=(int(r.quoted.loc["compare.base_year", "value"]), "compare.base_year"),
        on_series=e.own_targets_on_series(networks),
        observed=observed_events(e, GERS, e.TARN),
        contract_targets=contract_targets(e, GERS, e.TARN),
    )
    # The contracts' cell names the cited contracts table's rows it shows (their model's words, each linked).
    contracts = e.study.contracts
    for j, initiative in enumerate(networks, start=1):
        cells.iat[0, j - 1] = ";".join(
            r.reference_cell(
                str(e.words(text, "contracts.csv", "model")),
                _("words of the cited contracts table"),
                "data/raw/reference/contracts.csv",
                n + 1,
                "model",
            )
            for n, text in zip(contracts.index, contracts["model"], strict=True)
            if contracts.loc[n, "initiative"] == initiative
        )
        worded.iat[0, j - 1] = False
    show(
        r.table(
            "decision",
            shown,
            _("Which model, at what cost, risk and pace ({strength} evidence).").format(
                strength=L("strength", e.strength["models"])
            ),
            _(
                "the study's reading of the articles and of the cited contracts and funding tables; the State's "
                "results barometer ({table})"
            ).format(table=r.table_label("fibre_pace")),
            file="data/processed/models.csv",
            cells=cells,
            words=worded,
            natures_in=shown.columns[0],  # its row "whose money that is, and what it is"
        )
    )
    show(
        r.table(
            "findings",
            reader.findings(graded, L),
            _("Each finding's strength of evidence, derived from its inputs by the rules of the Method."),
            _("the study's grading of its findings, by the rules of its Method section"),
            file="data/processed/evidence.csv",
        )
    )
    e.gers_pp = gers_pp
    e.castres_pp = castres_pp
    e.castres_year = castres_year
    e.spent_by = spent_by
    e.castres_speed = castres_speed
    e.low = low
    e.high = high
    e.speed_low = speed_low
    e.speed_high = speed_high
    e.target_own = target_own
    e.achieved_own = achieved_own
    e.own_by = own_by
    e.achieved_on = achieved_on
    e.national_words = national_words
    e.completed = completed
    e.national_by = national_by
    e.families = families
    e.families_by = families_by
    e.people_low = people_low
    e.people_high = people_high
    return e.take()


def claimants(parties: pd.Series, lang: str) -> str:
    """Every interested party the graded findings rest on (``grade_findings``' ``interested_parties``: each
    finding's, in the edition's words, joined as its reasons join them), once each, in order, joined the same way
    (a name may hold a comma): the Limitations name them all, the Tarn's Département as the Gers's, never a list
    typed by hand."""
    separator = list_separator(lang)
    return separator.join(dict.fromkeys(p for text in parties for p in str(text).split(separator) if p))


def upper_bounds_said(e: Edition, money: pd.DataFrame) -> str:
    """The money table's words on its per-premise figures that are maxima (an amount over premises counted as "more
    than" a number: public_money.csv's ``per_premise_qualifier``), naming whose; nothing when none is."""
    bounded = money.loc[money["per_premise_qualifier"] == "upper_bound"]
    names = list(dict.fromkeys(bounded["initiative"].map(lambda i: e.names.get(i, i))))
    if not names:
        return ""
    return " " + e._(
        'Per premise, a figure is a maximum where its premises are counted as "more than" the number divided by '
        "({names})."
    ).format(names=esc(e.F.join(names)))


# An amount derived from one funder's amount and share ("25 millions" over "60 %") is known to no more figures than
# its inputs: shown to three significant figures, never to the euro (41 666 667).
DERIVED_AMOUNT_DIGITS = 3


def amounts_as_known(e: Edition, money: pd.DataFrame) -> list:
    """The money table's amounts: each stated amount as its source states it, each amount derived from a share
    (``share_id``) to ``DERIVED_AMOUNT_DIGITS`` significant figures, written the edition's way."""
    return [
        e.F.number(significant(float(row["amount_eur"]), DERIVED_AMOUNT_DIGITS))
        if derived_from_share(row)
        else row["amount_eur"]
        for row in money.to_dict("records")
    ]


def derived_amounts_said(e: Edition, money: pd.DataFrame) -> str:
    """The money table's words on its derived amounts' rounding; nothing when none is derived."""
    if not any(derived_from_share(row) for row in money.to_dict("records")):
        return ""
    return " " + e._(
        "An amount derived from one funder's amount and share is rounded to three significant figures: it is not "
        "known to the euro."
    )


def beyond_the_index(e: Edition, money: pd.DataFrame) -> str:
    """A sentence saying that euros of years after the CPI's last are taken at its last year's prices, when some
    money per plug in constant euros is spread over such years (the Gers's 2014–2026); nothing otherwise."""
    last = int(e.study.cpi["year"].max())
    ends = [int(str(years).split("–")[-1]) for years in money["spending_years"].fillna("") if str(years)]
    if not any(end > last for end in ends):
        return ""
    # No year typed here: every number a reader sees goes through the ledger; the index's years are in Table 20's
    # source.
    return " " + e._("Euros of the years after the index's last are taken at that year's prices.")


def same_funder_money(
    e: Edition, networks: list[str], funders: tuple[str, ...]
) -> tuple[tuple[str, ...], dict[str, dict]] | None:
    """Each network's money per plug from ``funders`` and no other (public_money.csv's rows whose ``covers`` are
    among them, divided by plugs), for the decision table: the row holding all of them where there is one (an
    amount derived from one funder's share among them), else the one holding some; the funders one side's source
    counts may still be fewer than the other's, so each cell says whose money it holds and whether it is derived.
    None unless every network has exactly one such row."""
    money = e.money
    allowed = set(funders)
    # Rows holding the money of some of those funders and of no other, divided by plugs: read once for all networks.
    held = money["covers"].map(lambda covers: set(funder_codes(covers)))
    within = held.map(lambda codes: bool(codes) and codes <= allowed) & money["per_premise"].notna()
    found = {}
    for initiative in networks:
        mine = within & (money["initiative"] == initiative)
        every = mine & (held.map(len) == len(allowed))
        rows = money[every] if every.any() else money[mine]
        if len(rows) != 1:
            return None
        row, keys = rows.iloc[0], quoting.money_keys(rows).iloc[0]
        derived = derived_from_share(row)
        found[initiative] = {
            "per_premise": float(row["per_premise"]),
            # The same in constant euros of the base year, along the amount's spending years (NaN where not given).
            "constant": float(row.get("per_premise_constant", float("nan"))),
            "constant_key": keys.get("per_premise_constant", ""),
            # How the quotient is hedged (an exact amount over "more than" N plugs is at most it).
            "qualifier": row.get("per_premise_qualifier") or row["qualifier"],
            "nature": e.L("amount_nature", row["amount_nature"]),
            "nature_code": row["amount_nature"],  # for rules: a plan is never ordered against money put in
            "scope": e.L("scope", row["scope"]),
            "whose": e.F.join([e.L("funder", code) for code in funder_codes(row["covers"])]),
            "key": keys["per_premise"],
            "derived": derived,
            # The share an amount derived from one funder's was divided by, as the compare step quoted it.
            "share_key": f"{keys['amount_eur']}.share" if derived else "",
            "share_id": row["share_id"] if derived else "",
            # Works beyond what its plugs count (copper upgrades, WiFi): a ranking below it says nothing.
            "also_paid_for": row.get("also_paid_for") if isinstance(row.get("also_paid_for"), str) else "",
        }
    return tuple(funders), found


def works_words(e: Edition, codes: str) -> str:
    """Works an amount also paid for ("copper;wifi"), in words ("copper speed upgrades and WiFi")."""
    return esc(e.F.join([e.L("works", code) for code in codes.split(";") if code]))


def cost_works(e: Edition, row: pd.Series) -> str:
    """What else a comparison row's cost also paid for (measures.csv ``also_paid_for`` of its cost option, as the
    row's ``option`` names it: "cost=spending_2023 + premises=plugs_total"), in words; empty when fibre alone."""
    options = dict(part.strip().split("=", 1) for part in str(row["option"]).split("+") if "=" in part)
    measures = e.study.measures
    rows = measures[
        (measures["initiative"] == row["initiative"])
        & (measures["quantity"] == "cost")
        & (measures["option"] == options.get("cost"))
    ]
    if len(rows) != 1:
        raise StudyError(
            f"data/raw/measures.csv: expected one cost row of {row['initiative']} for option "
            f"{options.get('cost')!r}, found {len(rows)}"
        )
    codes = rows.iloc[0].get("also_paid_for")
    return works_words(e, codes) if isinstance(codes, str) else ""


def also_paid_for_said(e: Edition, row: pd.Series) -> str:
    """The words on a cost of the same scope as its premises that also paid for other works than fibre: its cost
    per plug is not fibre's alone (the rule "same scope" holds of the network, not of its technologies)."""
    works = cost_works(e, row)
    if not works:
        return ""
    return " " + e._(
        "The {network} network's cost also paid for {works} (by the study's reading of its sources): divided by its "
        "fibre plugs, it gives a cost per plug of all its works, above fibre's alone by an amount no source gives."
    ).format(network=esc(e.names[row["initiative"]]), works=works)


def money_of(e: Edition, initiative: str, funders: tuple[str, ...]) -> pd.Series:
    """The one row of public_money.csv of ``initiative`` holding exactly ``funders``' money and divided by plugs
    (the summary quotes a Département's own amount beside the one derived from its share); an error otherwise."""
    money = e.money
    exact = money["covers"].map(lambda covers: set(funder_codes(covers)) == set(funders))
    rows = money[exact & (money["initiative"] == initiative) & money["per_premise"].notna()]
    if len(rows) != 1:
        raise StudyError(
            f"data/processed/public_money.csv: expected one amount of {initiative} covering {';'.join(funders)} "
            f"divided by plugs, found {len(rows)}"
        )
    return rows.iloc[0]


def worded_cells(r: Report, cells: dict[str, tuple[str, dict[str, str]]]) -> dict[str, tuple[str, str]]:
    """Table cells in words that hold numbers: {network: (its words, with this report's links, and the links of the
    numbers they hold)} -> {network: (the words as plain text, the links joined)}, as a table cell names several
    numbers (``Report.table``'s ``cells``)."""
    return {initiative: (r.plain(words), "".join(numbers.values())) for initiative, (words, numbers) in cells.items()}


def observed_events(e: Edition, focus: str, concession: str) -> dict[str, tuple[str, str]]:
    """What the sources report went wrong or changed in each fibre network, for the decision table: the words
    (plain text) and the links of the numbers they hold, so a contract form's risks on paper are read beside those
    its network met. Each number is a cited reference row (or its note), said as its speaker's."""
    r, _ = e.r, e._
    concession_plan = f"{concession}|total investment by the concessionaire|2019"
    penalties = f"{concession}|contractual penalties for delay (about)|2022-11-16"
    concession_numbers = dict(
        notice_on=r.as_of(penalties),
        penalties=r.ref(concession, "contractual penalties for delay (about)", fmt="{:,.0f}", scale=1e-6),
        plan=r.ref(concession, "total investment by the concessionaire", fmt="{:,.0f}", scale=1e-6),
        plan_on=r.as_of(concession_plan),
        later=revised_plan(e, concession_plan),
        # Beside the public money the Département planned to put in, so a reader sees the penalties' scale; two
        # natures (a claim, a plan): set side by side, never divided or netted.
        public=r.ref(concession, "public money", fmt="{:,.0f}", scale=1e-6),
    )
    concession_words = _(
        "a formal notice on {notice_on} over the delay, with about {penalties} million euros of penalties reckoned by "
        "the Département (its claim; the public money it planned to put in was {public} million), none shown paid; "
        "the concessionaire's plan of {plan} million euros ({plan_on}) had become {later} million, the Département said"
    ).format(**concession_numbers)
    focus_numbers = dict(
        # The focus's own target and its count by then, as the summary quotes them (one entry each).
        achieved=r.quote(f"compare.{focus}.own_target.achieved", "{:.0%}", unit="share"),
        achieved_on=r.quote(f"compare.{focus}.own_target.achieved_on"),
        target=r.quote(f"compare.{focus}.own_target", "{:.0%}", unit="share"),
        budget=r.fig("gers_budget_initial", "{:,.0f}", 1e-6),
        budget_on=r.as_of("gers_budget_initial"),
        estimate=r.ref(focus, "programme cost estimate", fmt="{:,.0f}", scale=1e-6),
        estimate_on=r.as_of(f"{focus}|programme cost estimate|2022"),
        need=r.ref(focus, "phase 2 funding need", fmt="{:,.0f}", scale=1e-6),
        completed=r.as_of(f"{focus}|share of the network's zone able to connect|2026-01-28"),
    )
    # Each amount with its scope, as measures.csv declares it: two scopes, so their gap is no overrun.
    scopes = e.study.measures.set_index(["initiative", "quantity", "option"])["scope"]
    focus_words = _(
        "{achieved} of inhabitants eligible on {achieved_on} against the {target} its promoter aimed at; a budget of "
        "{budget} million euros ({budget_on}, {budget_scope}) and an estimate of over {estimate} million "
        "({estimate_on}, {estimate_scope}): two scopes, whose gap measures no overrun; after the works-and-operation contract (CREM) of phase 1, a company shared with Orange was created to raise "
        "the {need} million euros phase 2 needed (a funding need; the split of public and private money is not "
        "cited); the zone said complete on {completed} (the network's claim)"
    ).format(
        budget_scope=e.L("scope", scopes[focus, "cost", "initial_budget"]),
        estimate_scope=e.L("scope", scopes[focus, "cost", "estimate_2022"]),
        **focus_numbers,
    )
    return worded_cells(r, {focus: (focus_words, focus_numbers), concession: (concession_words, concession_numbers)})


def contract_targets(e: Edition, focus: str, concession: str) -> dict[str, tuple[str, str]]:
    """What each fibre network's contract bound its builder to and by when, with the latest count against it, for
    the decision table: words (plain text) and the links of the numbers they hold. A contract is set against a
    contract: the focus's own "target" is its promoter's aspiration, not what its works-and-operation contract says."""
    r, _ = e.r, e._
    homes = f"{focus}|phase 1 FTTH target homes|2016-09-15"
    focus_numbers = dict(
        homes=r.ref(focus, "phase 1 FTTH target homes"),
        signed=r.as_of(homes),
        years=r.ref(focus, "phase 1 FTTH contract duration (CREM with Orange)", fmt="{:.0f}"),
        eligible=r.ref(focus, "homes eligible"),
        eligible_on=r.as_of(f"{focus}|homes eligible|2022"),
    )
    focus_words = _(
        "{homes} households to serve with fibre under the works-and-operation contract (CREM) signed on {signed} for {years} years "
        "(phase 1, by its contractor Orange's account); {eligible} households eligible in {eligible_on}, by the Département's count (works of phase 2 may "
        "be in it)"
    ).format(**focus_numbers)
    able = f"{concession}|homes able to connect|2023-11-22"
    due_plugs = f"{concession}|plugs to build|2019"
    in_words = Translator(r.lang, "analysis")  # models_section.hedged's words ("at least …")
    concession_numbers = dict(
        plugs=r.ref(concession, "plugs to build"),
        due=r.ref(concession, "contractual completion target", fmt="{:.0f}"),
        built=r.ref(concession, "plugs built at the contractual deadline"),
        built_on=r.as_of(f"{concession}|plugs built at the contractual deadline|2022-11"),
        able=r.ref(concession, "homes able to connect"),
        able_on=r.as_of(able),
    )
    concession_words = _(
        "{plugs} plugs by {due} under the concession; {built} built in {built_on}, by the Département's count; "
        "{able} households able to connect on {able_on}, by the concessionaire's count"
    ).format(
        **{
            **concession_numbers,  # the links alone, for the cell's numbers; the words say each as it is hedged
            # Each count as its source hedges it ("plus de 138 000 prises": at least), as evidence.csv holds it.
            "plugs": models_section.hedged(in_words, concession_numbers["plugs"], r.stated_as(due_plugs)[1]),
            "able": models_section.hedged(in_words, concession_numbers["able"], r.stated_as(able)[1]),
        }
    )
    return worded_cells(r, {focus: (focus_words, focus_numbers), concession: (concession_words, concession_numbers)})


# How a note of the cited reference data gives a plan's later amount: "the plan had become 171 M EUR".
REVISED_PLAN = re.compile(r"the plan had become (\d+(?:\.\d+)?) M EUR")
# When the later amount was said, in the same note: "in October 2021 the Département said the plan had become ...".
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)  # the notes are English; a literal, not the machine's locale
REVISED_PLAN_ON = re.compile(rf"in ((?:{'|'.join(MONTHS)}) \d{{4}}) the Département said the plan had become")
TELEWORKERS_AMONG = re.compile(r"^(\d+) teleworkers\b")  # "199 teleworkers; 47 villages"
REFERENCE_FILE = "data/raw/reference/external_figures.csv"  # the cited reference rows, as copied unchanged


# The site a note cites in brackets, "(entretarnetdadou.fr/c-ramond-…)": where the reader can find its words.
NOTE_SITE = re.compile(r"\(([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(?:/[^)\s]*)?\)")


def note_site(external: pd.DataFrame, evidence_id: str) -> str:
    """The site the note of a reference row cites for what it adds ("entretarnetdadou.fr"), or "" when it cites
    none; the row chosen by its evidence id."""
    external = external.reset_index(drop=True)
    rows = external[[reference_id(row) == evidence_id for row in external.to_dict("records")]]
    found = NOTE_SITE.findall(str(rows.iloc[0]["note"])) if len(rows) == 1 else []
    return found[-1] if found else ""


def later_plan_amount(external: pd.DataFrame, evidence_id: str) -> tuple[int, float]:
    """(data row, amount in millions) of a plan's later amount that only the note of its reference row gives
    ("the plan had become 171 M EUR"): see ``note_number``."""
    return note_number(external, evidence_id, REVISED_PLAN, "the plan's later amount")


def later_plan_month(external: pd.DataFrame, evidence_id: str) -> tuple[int, str]:
    """(data row, month as YYYY-MM) the plan's later amount was said, as the same note gives it ("in October 2021
    the Département said the plan had become ..."): see ``note_text``."""
    number, said = note_text(external, evidence_id, REVISED_PLAN_ON, "when the plan's later amount was said")
    month, year = said.split(" ")
    return number, f"{year}-{MONTHS.index(month) + 1:02d}"


def note_number(external: pd.DataFrame, evidence_id: str, pattern: re.Pattern, what: str) -> tuple[int, float]:
    """(data row, number) of a number only the note of a reference row gives (``pattern``'s one group): see
    ``note_text``."""
    number, found = note_text(external, evidence_id, pattern, what)
    return number, float(found)


def note_text(external: pd.DataFrame, evidence_id: str, pattern: re.Pattern, what: str) -> tuple[int, str]:
    """(data row, text) of what only the note of a reference row gives (``pattern``'s one group): the row
    chosen by its evidence id (topic|figure|as_of), counted from 1 as the study's messages count rows. A note that
    no longer says it is a ``DataError`` naming the file, row and column."""
    external = external.reset_index(drop=True)
    rows = external[[reference_id(row) == evidence_id for row in external.to_dict("records")]]
    if len(rows) != 1:
        raise StudyError(f"{REFERENCE_FILE}: expected one row {evidence_id!r}, found {len(rows)}")
    number = int(rows.index[0]) + 1
    found = pattern.findall(str(rows.iloc[0]["note"]))
    if len(found) != 1:
        raise DataError(
            REFERENCE_FILE,
            f"the note no longer gives {what} ({pattern.pattern!r})",
            row=number,
            column="note",
        )
    return number, str(found[0])


def revised_plan(e: Edition, evidence_id: str) -> str:
    """A plan's later amount (``later_plan_amount``) in millions, linked to the note's file, row and column."""
    number, amount = later_plan_amount(e.r.external, evidence_id)
    return e.r.reference_cell(
        e.r.format_number(amount, "{:,.0f}"),
        e._("the plan's later amount in millions of euros, as a note of the cited reference data gives it"),
        REFERENCE_FILE,
        number,
        "note",
        # The note cites the local press reporting the Département's words: no official document.
        source_class="independent_press",
    )


def revised_plan_on(e: Edition, evidence_id: str) -> str:
    """When a plan's later amount was said (``later_plan_month``), as the edition writes a month, linked to the
    note's file, row and column."""
    number, month = later_plan_month(e.r.external, evidence_id)
    return e.r.reference_cell(
        e.r.formats.date(month),
        e._("the month the plan's later amount was said, as a note of the cited reference data gives it"),
        REFERENCE_FILE,
        number,
        "note",
        source_class="independent_press",  # as the amount's: the local press reporting the Département's words
    )


def launch_and_creation(e: Edition, launch_id: str) -> str:
    """What follows the focus's launch year (an article's figure, ``launch_id``): where the cited contracts table
    dates its creation otherwise, that year too ("(its article's words; the cited contracts table dates the
    syndicate's creation 2013)"); nothing where the two agree."""
    key = f"compare.{e.GERS}.contracts.first_year"
    if float(e.r.figures.loc[launch_id, "value"]) == float(e.r.quoted.loc[key, "value"]):
        return ""
    return e._(" (its article's words; the cited contracts table dates the syndicate's creation {year})").format(
        year=e.r.quote(key, "{:.0f}", unit="year")
    )


def take_up_untold(e: Edition, uptake: pd.DataFrame) -> str:
    """The study's networks for which no cited source gives a take-up (take_up.csv has no row ``where`` them),
    said so after the take-up paragraph (a reader comparing models would otherwise take the Gers's figures for the
    only ones that exist, or for the others' too); nothing where every network has one."""
    told = set(uptake["where"])
    untold = [esc(e.names[n]) for n in e.study.networks() if n not in told]
    if not untold:
        return ""
    return " " + e._("No cited source gives a take-up for: {networks}.").format(networks=e.F.join(untold))


def teleworkers_among(e: Edition, evidence_id: str) -> str:
    """The teleworkers among a count of people, as only its reference row's note gives them ("199 teleworkers"),
    linked to the note's file, row and column."""
    number, count = note_number(e.r.external, evidence_id, TELEWORKERS_AMONG, "the teleworkers among the people")
    return e.r.reference_cell(
        e.r.format_number(count, "{:,.0f}"),
        e._("teleworkers among the people counted, as a note of the cited reference data gives them"),
        REFERENCE_FILE,
        number,
        "note",
        source_class=e.r.classes.get(evidence_id, ""),  # the class of the row whose note it is
    )


LAUNCH_FROM = re.compile(r"\bfrom (\d{4})\b")  # "the CCI ran it alone from 2007 per other sources"


def launch_from_note(e: Edition, evidence_id: str) -> str:
    """The other launch year a launch year's reference row gives in its note only ("from 2007"), linked to the
    note's file, row and column."""
    return year_from_note(
        e,
        evidence_id,
        LAUNCH_FROM,
        "another launch year",
        e._("the launch year other sources give, as a note of the cited reference data says"),
    )


def year_from_note(e: Edition, evidence_id: str, pattern: re.Pattern, missing: str, what: str) -> str:
    """A year only the note of a reference row gives (``pattern``'s one group; ``missing`` names it in the error
    when the note no longer says it), in words of ``what``, linked to the note's file, row and column and classed
    as the row's source."""
    number, year = note_number(e.r.external, evidence_id, pattern, missing)
    return e.r.reference_cell(
        f"{year:.0f}", what, REFERENCE_FILE, number, "note", source_class=e.r.classes.get(evidence_id, "")
    )


def initiatives(e: Edition) -> list[Part]:
    """The initiatives: who owned, built and ran each network."""
    TARN = e.TARN
    CASTRES, GERS, _, castres_year, heading, in_words, md, names, r, show, study = (
        e.CASTRES,
        e.GERS,
        e._,
        e.castres_year,
        e.heading,
        e.in_words,
        e.md,
        e.names,
        e.r,
        e.show,
        e.study,
    )
    heading("the-initiatives", _("The initiatives"))
    contracts = study.contracts
    # The owners of the focus's latest contract (its second phase), as the cited contracts table words them.
    own = contracts[contracts["initiative"] == GERS]
    latest = own["from_year"].astype(int).idxmax()
    owned_by = r.reference_cell(
        str(e.words(own.loc[latest, "owner"], "contracts.csv", "owner")),
        _("owners of the company that built and runs its second phase"),
        "data/raw/reference/contracts.csv",
        int(latest) + 1,
        "owner",
    )
    tarn_plan = f"{TARN}|total investment by the concessionaire|2019"  # the concessionaire's plan (a reference row)
    md(
        _(
            "**{gers}** is a *syndicat mixte ouvert* of the Département du Gers and its intercommunalities. Its first "
            "phase of fibre was built and run by Orange under a public works-and-operation contract; its second by a company "
            "the contracts table describes as {owned_by}. {gers} was launched in {launched}{created} with a budget of {budget} million euros. The State's "
            "share of phase 1 was {state_phase1} million euros ({state_phase1_on}); a member of parliament's release of "
            '{state_mp_on} says the State "invested" {state_mp} million to connect communes such as Mirande to fibre (a '
            'party\'s claim, and "invested" may mean committed): it may hold that share of phase 1, so the sources allow '
            "neither adding it to the {budget} million nor setting it apart. By {plugs_2019_on} more than {plugs_2019} "
            "plugs were eligible, in the "
            "Département's own words.\n\n"
            "**Castres-Mazamet** built a metropolitan fibre network as early as {metro_year} (its own article's words; the "
            "cited contracts table dates it {metro_contract_year}) through the SEM Intermédiasud, a "
            "mixed-economy company of the local authorities and multi-site firms, with an operator chosen by tender; in "
            "{castres_year} it announced DSL in the towns and WiFi in {wifi_communes} rural communes for {households} "
            "households and {businesses} SMEs, for a global investment of {investment} million euros. The agglomeration's "
            'own article calls this a "partenariat Public/Privé"; it is not a legal PPP contract, a form French law created '
            "only after the article. Its population is taken from the census of {castres_pop_year} ({castres_pop} "
            "inhabitants, years after the investment of {castres_year}), not the press's round {press_pop} of "
            "{press_pop_on}.\n\n"
            "**Soho Solo** is not a network: it helps people who already have a job to settle in the Gers and work at a "
            "distance, which, by its promoter's account, required an agreement with France Telecom for ADSL coverage.\n\n"
            "**The Tarn**, the département around Castres-Mazamet, chose another model in {tarn_signed}: a {tarn_years}-year "
            "concession (délégation de service public) of its fibre network to SFR, through its project company Tarn Fibre; "
            "the Département keeps the network. The concession's zone is the public-initiative zone: the département outside the "
            "Albi and Castres-Mazamet agglomerations. The concessionaire planned to invest {tarn_investment} million euros (its "
            "plan of {tarn_plan_on}; in {tarn_plan_later_on} the Département said the plan had become {tarn_plan_later} million, as "
            "{tarn_plan_later_by} reported it, with no count of plugs: only the first plan is divided by its plugs), "
            "with {tarn_public} million of public money, for {tarn_plugs} plugs due "
            "by {tarn_due}. The concession was presented as bringing public money down from {tarn_in_house} million euros "
            "under the Département's own earlier plan to {tarn_public} million (a blog's report of {tarn_in_house_on}). "
            "Those {tarn_in_house} million are the alternative it turned down, as the concession's promoters costed it, "
            "and of another kind: the public money a network the Département built itself would have needed to "
            "{tarn_in_house_end}, not a contribution to a concession. At the deadline {tarn_built} "
            "were built by the Département's count, in its dispute with the concessionaire, and the penalties for delay came to about {tarn_penalties} million euros by the Département's "
            "count; on {tarn_able_on} the "
            "concessionaire counted over {tarn_able} homes able to connect. These figures come from the press and the "
            "parties, not from an audit."
        ).format(
            gers=esc(names[GERS]),
            owned_by=owned_by,
            launched=r.fig("gers_launch_year", "{:.0f}"),
            created=launch_and_creation(e, "gers_launch_year"),
            budget=r.fig("gers_budget_initial", "{:,.0f}", 1e-6),
            state_phase1=r.ref(GERS, "State share of phase 1", "2017", "{:,.0f}", 1e-6),
            state_phase1_on=r.as_of(f"{GERS}|State share of phase 1|2017"),
            state_mp=r.fig("gers_state_funding", "{:,.0f}", 1e-6),
            state_mp_on=r.as_of("gers_state_funding"),
            plugs_2019=r.fig("gers_plugs_eligible_2019"),
            plugs_2019_on=r.date_of("gers_plugs_eligible_2019"),
            metro_year=r.fig("castres_metro_network_year", "{:.0f}"),
            # The two dates the sources give, side by side (the article's "dès 1998", the contracts table's).
            metro_contract_year=r.quote(f"compare.{CASTRES}.contracts.first_year", "{:.0f}", unit="year"),
            castres_year=castres_year,
            wifi_communes=r.fig("castres_wifi_communes"),
            households=r.fig("castres_households_covered"),
            businesses=r.fig("castres_businesses_covered"),
            investment=r.fig("castres_investment", "{:,.0f}", 1e-6),
            castres_pop=r.quote(f"compare.{CASTRES}.population", "{:,.0f}", unit="inhabitants"),
            castres_pop_year=r.quote(f"compare.{CASTRES}.population.year", unit="year"),
            press_pop=r.ref(CASTRES, "population of the agglomeration", "2001"),
            press_pop_on=r.as_of(f"{CASTRES}|population of the agglomeration|2001"),
            tarn_signed=r.ref(TARN, "concession (DSP) signed with SFR", fmt="{:.0f}"),
            tarn_years=r.ref(TARN, "concession duration", fmt="{:.0f}"),
            tarn_investment=r.ref(TARN, "total investment by the concessionaire", fmt="{:,.0f}", scale=1e-6),
            tarn_plan_on=r.as_of(tarn_plan),
            tarn_plan_later=revised_plan(e, tarn_plan),
            tarn_plan_later_on=revised_plan_on(e, tarn_plan),
            # Where the note found the later amount: a site a reader can look up, else the note itself.
            tarn_plan_later_by=esc(note_site(r.external, tarn_plan) or _("a note of the cited reference data")),
            tarn_in_house=r.ref(
                TARN, "public money under the earlier plan run by the département", fmt="{:,.0f}", scale=1e-6
            ),
            tarn_in_house_on=r.as_of(f"{TARN}|public money under the earlier plan run by the département|2019-08"),
            tarn_in_house_end=plan_end_from_note(
                e, f"{TARN}|public money under the earlier plan run by the département|2019-08"
            ),
            tarn_public=r.ref(TARN, "public money", fmt="{:,.0f}", scale=1e-6),
            tarn_plugs=r.ref(TARN, "plugs to build"),
            tarn_due=r.ref(TARN, "contractual completion target", fmt="{:.0f}"),
            tarn_built=r.ref(TARN, "plugs built at the contractual deadline"),
            tarn_penalties=r.ref(TARN, "contractual penalties for delay (about)", fmt="{:,.0f}", scale=1e-6),
            tarn_able=r.ref(TARN, "homes able to connect"),
            tarn_able_on=r.as_of(f"{TARN}|homes able to connect|2023-11-22"),
        )
    )
    ownership = contracts[contracts["initiative"].isin(study.initiatives["initiative"])][
        ["initiative", "phase", "from_year", "to_year", "model", "owner", "builder_operator"]
    ]
    shown = in_words(ownership, "contracts.csv").assign(initiative=ownership["initiative"].map(names))
    # Each year is the compare step's quoted reading of its row; the words that hold numbers (an owner's shares)
    # are the cited table's cells, linked to their row and column.
    cells = quoting.contract_keys(ownership)
    for column in ("owner", "model", "builder_operator"):
        cells[column] = [
            r.reference_cell(
                str(text), _("words of the cited contracts table"), "data/raw/reference/contracts.csv", n + 1, column
            )
            if any(c.isdigit() for c in str(text))
            else ""
            for n, text in zip(ownership.index, shown[column], strict=True)
        ]
    show(
        r.table(
            "initiatives",
            shown,
            # "operator", not "builder and operator": the sources say Cegetel ran Castres-Mazamet's 1998 network,
            # not that it built it; where a contract has its operator build, the legal form says so.
            _("Who owned and ran each network, under which legal form."),
            _("the cited contracts table (Appendix A)"),
            data="data/processed/contracts.csv",
            cells=cells,
            words=("phase",),  # a phase's name ("phase 1 (FTTH)")
        )
    )
    return e.take()


def comparison(e: Edition) -> list[Part]:
    """The comparison of costs per premise and per inhabitant."""
    (
        CASTRES,
        GERS,
        L,
        _,
        base_year,
        castres_pp,
        castres_year,
        central_cost,
        chart,
        comparison,
        gers_pp,
        heading,
        md,
        r,
        show,
        study,
    ) = (
        e.CASTRES,
        e.GERS,
        e.L,
        e._,
        e.base_year,
        e.castres_pp,
        e.castres_year,
        e.central_cost,
        e.chart,
        e.comparison,
        e.gers_pp,
        e.heading,
        e.md,
        e.r,
        e.show,
        e.study,
    )
    heading("the-comparison", _("The comparison"))
    nominal, nominal_nature = e.amount(f"compare.{GERS}.cost_nominal", "{:,.0f}", 1e-6)
    show(
        '<p class="caveat">{}</p>'.format(
            _(
                "The Gers cost ({nature}) spans {first} to {last}; it is deflated year by year along a spending profile "
                "({profile}): "
                "{nominal} million euros nominal, euros of the years they were spent in, become {constant} million euros "
                "of {base_year}. The Castres-Mazamet cost is of {castres_year} and buys DSL and WiFi for an agglomeration. Only a cost and "
                "premises of the same scope are ever divided."
            ).format(
                # An interval in words ("from 2014 to 2023", « de 2014 à 2023 »): a dash between years is for tables.
                first=r.quote(f"compare.{GERS}.spending.first_year"),
                last=r.quote(f"compare.{GERS}.spending.last_year"),
                profile=esc(L.option(GERS, central_cost["spending_profile"])),
                nominal=nominal,
                nature=nominal_nature,
                constant=r.quote(f"compare.{GERS}.cost", "{:,.0f}", 1e-6, unit="EUR"),
                base_year=base_year,
                castres_year=castres_year,
            )
            + also_paid_for_said(e, central_cost)
        )
    )
    show(
        r.table(
            "comparison",
            reader.comparison(
                comparison,
                study.initiatives,
                L,
                natures_of_costs(comparison[comparison["metric"] == "cost"], study.evidence),
            ),
            _(
                "Costs per premise, per inhabitant and per Mbit/s, nominal and in constant euros of the base year "
                "(constant euros to four significant digits: they are computed from amounts stated to the million)."
            ),
            _(
                "the study's computation from the articles' figures, the cited reference rows and INSEE's consumer price index"
            ),
            # Constant euros are computed from amounts stated to the million: four significant digits at most.
            {"value_constant": lambda value: readable_number(value, r.formats, significant=4)},
            data="data/processed/comparison.csv",
            cells=quoting.comparison_keys(comparison),
            words=("option", "scope"),  # labels of the row's choice and scope
            natures_in="unit",  # "€, planned": what each row's amount is
        )
    )
    md(
        _(
            "{figure_premise} sets the cost per premise side by side: {gers_pp} for the Gers against {castres_pp} for "
            "Castres-Mazamet. Per inhabitant ({figure_inhabitant}; the Gers's population counted in {gers_year}, the "
            "agglomeration's in {castres_year}) the Gers network's cost comes to {gers_pi} ({gers_nature}) against "
            "{castres_pi} ({castres_nature}), amounts of different natures; the Castres-Mazamet investment mixes public "
            "and private money the article does not split."
        ).format(
            figure_premise=r.figure_ref("cost_per_premise"),
            figure_inhabitant=r.figure_ref("cost_per_inhabitant"),
            gers_pp=gers_pp,
            castres_pp=castres_pp,
            gers_pi=r.quote(f"compare.{GERS}.cost_per_inhabitant", "{:,.0f} €", unit="EUR_per_inhabitant"),
            castres_pi=r.quote(f"compare.{CASTRES}.cost_per_inhabitant", "{:,.0f} €", unit="EUR_per_inhabitant"),
            gers_year=r.quote(f"compare.{GERS}.population.year", unit="year"),
            castres_year=r.quote(f"compare.{CASTRES}.population.year", unit="year"),
            # What each amount is (spent to date, planned): a cost per inhabitant is said with its amount's nature.
            gers_nature=esc(e.cost_natures[GERS]),
            castres_nature=esc(e.cost_natures[CASTRES]),
        )
    )
    show(
        r.figure(
            "cost_per_premise",
            chart("cost_per_premise"),
            _(
                "Cost per premise passed, nominal and constant euros: amounts of different natures and technologies, each "
                "as its source gives it (under its bar), set side by side, not ranked."
            ),
            _("the study's computation from the articles' figures and INSEE's consumer price index"),
        )
    )
    show(
        r.figure(
            "cost_per_inhabitant",
            chart("cost_per_inhabitant"),
            _(
                "Cost per inhabitant of the whole territory (département or agglomeration), whatever part of it the network serves."
            ),
            _(
                "the study's computation from the articles' figures and INSEE's populations (some as Wikipedia relays them)"
            ),
        )
    )
    return e.take()


def which_cost(e: Edition) -> list[Part]:
    """Which Gers cost: the disagreeing figures and the central choice."""
    GERS, L, _, chart, completed, costs, heading, in_words, md, r, show = (
        e.GERS,
        e.L,
        e._,
        e.chart,
        e.completed,
        e.costs,
        e.heading,
        e.in_words,
        e.md,
        e.r,
        e.show,
    )
    heading("which-gers-cost", _("Which Gers cost"), 3)

    study = e.study
    # The figures by the role each plays (roles.csv), never by their wording.
    final, phase2 = study.role("focus_cost_at_completion"), study.role("focus_cost_phase_2")
    spent, estimate = study.role("focus_cost_spent"), study.role("focus_cost_estimate")
    md(
        _(
            'The sources disagree ({figure}, {table}): {final} million euros "at completion" ({final_on}, {final_site}), yet '
            "{spent} million had been spent by {spent_on} ({spent_site}) and the Département put the programme at over "
            "{estimate} million in {estimate_on}; Gers Fibre put phase 2 alone at about {phase2} million. A total cannot be "
            "below what was already spent, and the figure at completion, like phase 2's an approximation, is within {gap} of "
            "it, which suggests without showing that it is phase 2's alone: the study reads it so — a reading, not the "
            "source's words. The central choice, the study's, is the {spent} million spent by "
            "{spent_on}: the latest amount the study reads as the whole network's, from independent press, consistent with the "
            "Département's estimate of over {estimate} million, and a lower bound of the final cost since works continued until "
            "{completed}. Phase-2 amounts pair with no premise count of the same scope, so no per-plug figure is computed "
            "from them."
        ).format(
            figure=r.figure_ref("cost_scopes"),
            table=r.table_ref("costs"),
            final=r.evidence(final, "{:,.0f}", 1e-6),
            final_on=r.as_of(final),
            final_site=r.site_of(final),
            spent=r.evidence(spent, "{:,.0f}", 1e-6),
            spent_on=r.as_of(spent),  # the spending's own date, whichever cost a scenario makes central
            spent_site=r.site_of(spent),
            estimate=r.evidence(estimate, "{:,.0f}", 1e-6),
            estimate_on=r.as_of(estimate),
            phase2=r.evidence(phase2, "{:,.0f}", 1e-6),
            gap=r.quote(f"compare.{GERS}.cost_at_completion_against_phase_2", "{:.1%}", unit="share"),
            completed=completed,
        )
    )
    show(
        r.figure(
            "cost_scopes",
            chart("cost_scopes"),
            _("Every euro figure about the Gers network, by the scope the study reads in it (≥: at least; ≈: about)."),
            _("the articles and the cited reference rows (Appendix A)"),
        )
    )
    show(
        r.table(
            "costs",
            costs[["amount_eur", "as_of", "what", "qualifier", "scope", "option", "source_class", "source"]]
            .pipe(in_words, "cost_figures.csv")
            .assign(
                source_class=L.values(costs["source_class"], "source_class"),
                scope=L.values(costs["scope"], "scope"),
                qualifier=L.values(costs["qualifier"], "qualifier"),
                option=costs["option"].map(lambda o: L.option(GERS, o) if o else ""),
            ),
            _(
                "Gers cost figures: amounts of different dates and scopes (each scope as the study reads it from its "
                "source's words), never added up."
            ),
            _("the articles and the cited reference rows (Appendix A)"),
            {"amount_eur": "{:,.0f}"},
            data="data/processed/cost_figures.csv",
            evidence=costs["evidence_id"],
            # Each amount and its date are its source's (an article's figure or a reference row).
            cells=pd.DataFrame(
                {"amount_eur": costs["evidence_id"], "as_of": [r.as_of(i) for i in costs["evidence_id"]]},
                index=costs.index,
            ),
            words=("what", "scope", "option", "source"),
        )
    )
    return e.take()


def benchmarks(e: Edition) -> list[Part]:
    """Against the national benchmarks, and per Mbit/s."""
    GERS, L, _, bench, chart, heading, md, r, show, speed_high, speed_low, words = (
        e.GERS,
        e.L,
        e._,
        e.bench,
        e.chart,
        e.heading,
        e.md,
        e.r,
        e.show,
        e.speed_high,
        e.speed_low,
        e.words,
    )
    heading("against-the-national-benchmarks-and-per-mbit-s", _("Against the national benchmarks, and per Mbit/s"), 3)
    lb, cap = e.study.role("benchmark_least_dense"), e.study.role("benchmark_cap_most_rural")
    state = e.study.role("focus_state_phase_1")
    fibre_cheaper_per_mbit(e)  # the paragraph's last sentence says so
    md(
        _(
            "In nominal euros of its spending years the Gers had cost {gers_nominal_pp} per plug of the whole network "
            "by its last count of spending ({table}). A member of parliament said in the National Assembly that a plug "
            "costs well over {lower_bound} in the least dense areas (one speaker's remark, dated {lower_bound_on} by "
            "the cited row though its address is an archive of an earlier legislature): a lower bound, which cannot "
            "say whether the Gers's cost is high. The State's subsidy cap per plug in the most rural areas ({cap}, "
            "{cap_on}) limits the State's money per plug, not the cost, and the study cannot test it: the State's "
            "{state_phase1} million euros ({state_phase1_on}) went to phase 1, whose works also included copper upgrades "
            "and WiFi by the study's reading, and no source counts the plugs phase 1 built. Per "
            "Mbit/s ({figure}), against Castres-Mazamet's DSL, fibre is the cheaper way to deliver capacity at every Gers "
            "speed assumed ({speed_low} to {speed_high}); the claim rests on that assumption."
        ).format(
            gers_nominal_pp=r.quote(f"compare.{GERS}.cost_per_premise_nominal", "{:,.0f} €"),
            table=r.table_ref("benchmarks"),
            figure=r.figure_ref("cost_per_mbit"),
            lower_bound=r.evidence(lb, "{:,.0f} €"),
            lower_bound_on=r.as_of(lb),
            cap=r.evidence(cap, "{:,.0f} €"),
            cap_on=r.as_of(cap),
            state_phase1=r.evidence(state, "{:,.0f}", 1e-6),
            state_phase1_on=r.as_of(state),
            speed_low=speed_low,
            speed_high=speed_high,
        )
    )
    show(
        r.table(
            "benchmarks",
            reader.benchmarks(bench, GERS, L, words)[["what", "eur_per_plug", "as_of", "kind", "source"]],
            _("The Gers cost per plug beside national benchmarks (nominal euros of each)."),
            _("the cited reference rows and the study's computation"),
            {"eur_per_plug": "{:,.0f}"},
            data="data/processed/benchmarks.csv",
            evidence=bench["evidence_id"],
            # A benchmark is its source's figure and date; the study's row is its cost per plug (nominal) over
            # the years of its spending profile.
            cells=pd.DataFrame(
                {
                    "eur_per_plug": [
                        i or f"compare.{GERS}.cost_per_premise_nominal" for i in bench["evidence_id"].fillna("")
                    ],
                    "as_of": [
                        r.as_of(i) if i else f"compare.{GERS}.spending.first_year;compare.{GERS}.spending.last_year"
                        for i in bench["evidence_id"].fillna("")
                    ],
                },
                index=bench.index,
            ),
            words=("what", "source"),
        )
    )
    show(
        r.figure(
            "cost_per_mbit",
            chart("cost_per_mbit"),
            _("Cost per premise per Mbit/s offered; the Gers's and the Tarn's speeds are assumptions."),
            _("the study's computation from the articles' figures and its assumed speeds"),
        )
    )
    return e.take()


def take_up_by_reading(uptake: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Each take-up's quoted key (as 02_compare_networks publishes them) by its place and its reading."""
    return {(row["where"], row["reading"]): f"compare.{quoting.take_up_name(row)}" for row in uptake.to_dict("records")}


def focus_take_up(e: Edition) -> dict[str, str]:
    """The focus network's take-up as the report quotes it, in the summary and in its section: the study's two
    readings of its sources (``take_up``: of the network's plugs; ``take_up_low``: of the whole département's
    dwellings, so neither reading is stated alone), the date of the counts they divide (``subscribers_on``), and
    the share a source states (``cited``, its role in roles.csv); their numbers as 02_compare_networks publishes
    them."""
    r, GERS = e.r, e.GERS
    by_reading = take_up_by_reading(e.uptake)
    return {
        "take_up": r.quote(by_reading[(GERS, "of_network_plugs")], "{:.0%}", unit="share"),
        "take_up_low": r.quote(by_reading[(GERS, "of_departement_dwellings")], "{:.0%}", unit="share"),
        "subscribers_on": r.as_of(f"{GERS}|subscribers|2023-07"),
        "cited": r.evidence(e.study.role("focus_take_up_cited"), "{:.0%}"),
    }


def money_pace_and_take_up(e: Edition) -> list[Part]:
    """Who paid, pace and take-up."""
    (
        GERS,
        L,
        _,
        achieved_on,
        achieved_own,
        chart,
        completed,
        heading,
        in_words,
        md,
        money,
        names,
        national_by,
        own_by,
        r,
        show,
        target_own,
        targets,
        uptake,
    ) = (
        e.GERS,
        e.L,
        e._,
        e.achieved_on,
        e.achieved_own,
        e.chart,
        e.completed,
        e.heading,
        e.in_words,
        e.md,
        e.money,
        e.names,
        e.national_by,
        e.own_by,
        e.r,
        e.show,
        e.target_own,
        e.targets,
        e.uptake,
    )
    heading("who-paid-pace-and-take-up", _("Who paid, pace and take-up"))
    study = e.study
    # The amounts by the role each plays (roles.csv); their numbers as 02_compare_networks publishes them.
    state1 = f"compare.{GERS}.money.{slug(study.role('focus_state_phase_1'))}"
    public1 = f"compare.{GERS}.money.{slug(study.role('focus_public_phase_1'))}"
    dept = study.role("focus_departement_money")
    public1_amount, public1_nature = e.amount(public1, "{:,.0f}", 1e-6)
    md(
        _(
            "Who paid is cited only in parts, of different scopes, and never added up here ({table}). Phase 1 (copper "
            "upgrades, WiFi and the first fibre, for a target of {phase1_homes} fibre homes) had {public1} million euros "
            "of public money ({public1_nature}), {public1_per_inhabitant} per inhabitant (the population counted in "
            "{public1_year}); the State's share was {state1} million. Neither is divided by the homes targeted: they are a "
            "target, not plugs built, and the money also paid for copper and WiFi, which those homes do not count. The Département says it put in over {dept} million over the whole "
            "works (its own claim, a lower bound). Phase 2's money, public and private, is not split in any source."
        ).format(
            table=r.table_ref("money"),
            phase1_homes=r.ref(GERS, "phase 1 FTTH target homes"),
            public1=public1_amount,
            public1_nature=public1_nature,
            public1_per_inhabitant=r.quote(f"{public1}.per_inhabitant", "{:,.0f} €", unit="EUR_per_inhabitant"),
            public1_year=r.quote(f"{public1}.population.year", unit="year"),
            state1=r.quote(state1, "{:,.0f}", 1e-6, unit="EUR"),
            dept=r.evidence(dept, "{:,.0f}", 1e-6),
        )
    )
    money_cells = quoting.money_keys(money)
    # A population of several counts added up has no single year: its cell stays empty, linked to nothing.
    money_cells["population_year"] = [k if k in r.quoted.index else "" for k in money_cells["population_year"]]
    # Each per-inhabitant figure says whose count of which year it divides by, in its own cell ("204 (2015)"): the
    # year the compare step quoted for it, both numbers linked. One column fewer keeps the table within A4.
    per_inhabitant = [
        None
        if value != value
        else _("{amount} ({year})").format(
            amount=e.F.number(value), year=e.F.number(r.quoted.loc[year, "value"], grouping=False)
        )
        if year
        else e.F.number(value)
        for value, year in zip(money["per_inhabitant"], money_cells["population_year"], strict=True)
    ]
    money_cells["per_inhabitant_counted"] = [
        ";".join(k for k in (amount, year) if k)
        for amount, year in zip(money_cells["per_inhabitant"], money_cells["population_year"], strict=True)
    ]
    show(
        r.table(
            "money",
            in_words(money, "public_money.csv").assign(
                amount_eur=amounts_as_known(e, money),
                per_inhabitant_counted=per_inhabitant,
                source_class=L.values(money["source_class"], "source_class"),
                initiative=money["initiative"].map(names),
                scope=L.values(money["scope"], "scope"),
                # What each amount is, hedged as its source hedges it: "put in (at least)", "planned".
                amount_nature=[
                    _("{nature} ({qualifier})").format(
                        nature=L("amount_nature", nature), qualifier=L("qualifier", qualifier)
                    )
                    if qualifier != "exact"
                    else L("amount_nature", nature)
                    for nature, qualifier in zip(money["amount_nature"], money["qualifier"], strict=True)
                ],
            )[
                [
                    "initiative",
                    "funder",
                    "amount_eur",
                    "amount_nature",
                    "as_of",
                    "scope",
                    "per_premise",
                    "per_premise_constant",
                    "per_inhabitant_counted",
                    "source_class",
                ]
            ],
            _(
                "Who put in, granted, planned or needed what, each amount as its source states it; every amount but a "
                "funding need (money to be raised, not put in) is divided, by premises of its own scope where a count "
                "of that scope exists, and by the population of the whole territory (département or agglomeration) "
                "counted in the year shown."
            )
            + upper_bounds_said(e, money)
            + derived_amounts_said(e, money)
            + " "
            + _(
                "Per premise in constant euros of {base_year}: each amount spread over the years it was or is to be "
                "spent by its declared spending profile (an assumption), each year's euros brought to {base_year}'s "
                "by INSEE's consumer price index."
            ).format(base_year=e.base_year)
            + beyond_the_index(e, money),
            _("the articles and the cited reference rows; the study's computation"),
            {
                "amount_eur": "{:,.0f}",
                "per_premise": "{:,.0f}",
                "per_premise_constant": "{:,.0f}",
            },
            data="data/processed/public_money.csv",
            evidence=money["evidence_id"],
            cells=money_cells.drop(columns=["per_inhabitant", "population_year"]).assign(
                as_of=[r.as_of(i) for i in money["evidence_id"]]
            ),
            words=("funder", "scope"),  # who paid and for what, in words
            natures_in="amount_nature",
        )
    )
    # Pace on one series and one denominator for both fibre networks (the State's baromètre, from each network's
    # own fibre contract): the press's counts are of different kinds (inhabitants, dwellings, plugs).
    own_pace = {i: f"series.{i}.own_network" for i in (GERS, e.TARN)}
    series = e.fibre_series
    md(
        _(
            "Against its own target ({figure}, {table}), the Gers had {achieved_own} eligible on {achieved_on} where it aimed "
            "for {target_own} by {own_by}. Against the national plan, the State's series gives {share_2022} of the whole "
            "département's premises able to connect to fibre on {on_2022}, when the plan aimed at very high speed for "
            "all, {aim_2022} of it by fibre; the network said its zone complete on {completed} (its own claim), after the "
            "goal of fibre everywhere by {national_by}, and ARCEP's data, republished by a third party, give {share_end} of the "
            "département on {on_end}. "
            "{milestones} places both networks in time."
        ).format(
            figure=r.figure_ref("eligibility"),
            table=r.table_ref("targets"),
            milestones=r.figure_ref("milestones"),
            achieved_own=achieved_own,
            achieved_on=achieved_on,
            target_own=target_own,
            own_by=own_by,
            completed=completed,
            national_by=national_by,
            **e.national_words,  # the summary's: one entry per number
        )
    )
    md(
        _(
            "The press counts progress in shares of inhabitants, in shares of dwellings and in plugs, so the study does not "
            "turn those counts into plugs per year. Its pace is measured on one public series for both fibre networks, the "
            "State's share of each département's premises able to connect to FTTH ({pace_table}): the {focus} département "
            "gained {focus_rate} points a year from {focus_from} to {focus_to} (its fibre contract: {focus_start}); the "
            "{concession} département gained {concession_rate} from {concession_from} (its concession: {concession_start}); "
            "over those same years the {focus} département gained {focus_same}, so only that pair compares like with like. "
            "The share is of the whole département, private zones included: each pace holds private operators' building "
            "too, and a larger part of the {concession} département lies outside its public network: its "
            "public-initiative zone held {concession_public} of its dwellings in ARCEP's data of {panel_quarter}, "
            "against {focus_public} in the {focus} département ({panel_table})."
        ).format(
            concession_public=r.quote(
                f"panel.departement_{series_section.departement_of(r.quoted, series, e.TARN)[0]}.public_dwelling_share",
                "{:.0%}",
            ),
            focus_public=r.quote(
                f"panel.departement_{series_section.departement_of(r.quoted, series, GERS)[0]}.public_dwelling_share",
                "{:.0%}",
            ),
            panel_quarter=r.quote("panel.quarter_last"),
            panel_table=r.table_ref("panel_placement"),
            pace_table=r.table_ref("fibre_pace"),
            focus=series_section.departement_of(r.quoted, series, GERS)[1],
            concession=series_section.departement_of(r.quoted, series, e.TARN)[1],
            focus_start=r.quote(f"{own_pace[GERS]}.start"),
            focus_rate=r.quote(f"{own_pace[GERS]}.points_per_year", "{:.1f}", unit="points_per_year"),
            concession_start=r.quote(f"{own_pace[e.TARN]}.start"),
            focus_from=r.quote(f"{own_pace[GERS]}.measured_from"),
            focus_to=r.quote(f"{own_pace[GERS]}.measured_to"),
            concession_from=r.quote(f"{own_pace[e.TARN]}.measured_from"),
            concession_rate=r.quote(f"{own_pace[e.TARN]}.points_per_year", "{:.1f}", unit="points_per_year"),
            focus_same=r.quote(f"series.{GERS}.points_per_year.tarn_concession", "{:.1f}"),
        )
    )
    show(
        r.figure(
            "eligibility",
            chart("eligibility"),
            _(
                "Own targets against achieved shares, each counted as its source counts it and marked by what it counts "
                "(inhabitants, dwellings, premises or plugs; an open circle where the source does not say): shares of "
                "different things, not one series; a date known by its year alone is drawn at mid-year."
            ),
            _("the articles and the cited reference rows (Appendix A)"),
        )
    )
    # When each target was reached, as its source says it: a date a party claims for itself says so, and a target
    # not reached says by which count it was not (a date), never a bare "not yet".
    said = study.evidence.set_index("evidence_id")
    any_technology = study.role("national_goal_very_high_speed")

    def reached_words(row: dict, shown: str) -> str:
        if not row["reached_id"]:
            return shown
        if row["reached_on"] == NOT_YET:
            date = e.F.date(str(said.loc[row["reached_id"], "as_of"]))
            if row["target_id"] == any_technology:
                # The counts are of fibre; a goal of very high speed by any technology may be met by others too:
                # a fibre count short of it does not show the goal missed.
                return _("not by fibre alone as of {date}").format(date=date)
            return _("not as of {date}").format(date=date)
        date = e.F.date(str(row["reached_on"]))
        claim = said.loc[row["reached_id"], "source_class"] == "interested_party"
        if row["cited_as"] == NATIONAL_GOAL:
            # A national goal is of all premises; a network's count that reached it is of its own zone only: the
            # whole département is judged on the State's series (the next columns), never by that count.
            return (_("{date}, its own zone only (a claim)") if claim else _("{date}, its own zone only")).format(
                date=date
            )
        if claim:
            return _("{date} (a claim)").format(date=date)
        return shown

    reached = [
        reached_words(row, shown)
        for row, shown in zip(targets.to_dict("records"), in_words(targets, "targets.csv")["reached_on"], strict=True)
    ]
    # Each target also on the State's series for the whole département (series_claims.csv's target checks): the
    # networks' own counts are of different kinds and often a party's, the series is one count for both.
    on_series = e.on_the_series(targets)
    series_keys = list(on_series["key"])
    # When the State's series first reached the share due, beside the date a party gives: its quarter's end, read
    # from the series' raw row, or words where the series never reached it; nothing where no claim checks it.
    # A goal the series reads by another share than the one due (the national plan's fibre part of "very high
    # speed for all") has no such date: a dash, never the date of another share.
    same_share = [
        bool(claim) and abs(float(claimed) - float(due)) < 1e-9
        for claim, claimed, due in zip(
            on_series["claim_id"], on_series["claimed"], targets["target_share"], strict=True
        )
    ]
    reached_keys = [
        f"series.claim.{slug(claim)}.reached_on" if same and day else ""
        for claim, day, same in zip(on_series["claim_id"], on_series["reached_on"], same_share, strict=True)
    ]
    series_reached = [
        (day if day else _("not within the series")) if same else ""
        for day, same in zip(on_series["reached_on"], same_share, strict=True)
    ]
    # A share computed from a count over "more than" N plugs is at most that share (targets.csv's qualifier).
    achieved = [
        models_section.hedged(Translator(r.lang, "analysis"), e.F.share(share), qualifier) if share == share else share
        for share, qualifier in zip(targets["achieved_by_then"], targets["achieved_qualifier"].fillna(""), strict=True)
    ]
    show(
        r.table(
            "targets",
            in_words(targets, "targets.csv").assign(
                initiative=targets["initiative"].map(names),
                achieved_by_then=achieved,
                reached_on=reached,
                series_share=on_series["series_share"],
                series_on=on_series["series_on"],
                series_reached_on=series_reached,
            )[
                [
                    "initiative",
                    "target",
                    "by",
                    "target_share",
                    "achieved_by_then",
                    "achieved_as_of",
                    "reached_on",
                    "series_share",
                    "series_on",
                    "series_reached_on",
                ]
            ],
            _(
                "Targets against achieved: each network's or party's own count, as its source counts it (inhabitants, "
                "dwellings or plugs), and the State's series, one count for both (all the département's premises, "
                "private zones included; {table}). The plan's {by} goal is of very high speed for all by any "
                "technology, and the counts here are of fibre: against it they are lower bounds, and on the series it is "
                "read by its fibre part ({aim}, a national aggregate, not a target set for each département). The "
                "series' share is of the quarter holding the due date (ARCEP's later count, re-published by a third "
                "party, where the series ends before it); the last column gives the first quarter it reached the share "
                "due, beside the date a party gives (a dash where the series is read by another share)."
            ).format(
                table=r.table_label("series_claims"),
                by=r.quote(f"compare.{GERS}.national_goal_very_high_speed.by", "{:.0f}"),
                aim=e.national_words["aim_2022"],
            ),
            _("the articles and the cited reference rows (Appendix A); the State's results barometer"),
            {"target_share": "{:.0%}", "series_share": "{:.0%}"},
            data="data/processed/targets.csv",
            evidence=targets["target_id"] + ";" + targets["achieved_id"],
            cells=quoting.target_keys(
                targets,
                study.evidence,
                {study.role(g): g for g in ("national_goal_very_high_speed", "national_goal_fibre_everywhere")},
            ).assign(series_share=series_keys, series_on=series_keys, series_reached_on=reached_keys),
        )
    )
    show(
        r.figure(
            "milestones",
            chart("milestones"),
            _("Milestones of the initiatives."),
            _("the articles and the cited reference rows (Appendix A)"),
        )
    )
    focus = focus_take_up(e)
    take_up, take_up_low, subscribers_on = focus["take_up"], focus["take_up_low"], focus["subscribers_on"]
    france = take_up_by_reading(uptake)[("France", "national")]
    md(
        _(
            "Take-up ({table}): the Gers sources disagree. From {subscribers} subscribers and {eligible} eligible in "
            "{subscribers_on}, the study derives {take_up} of the network's plugs able to connect if the share eligible "
            "is of its plugs, or {take_up_low} if it is of the whole département's {dwellings} dwellings, as the check "
            "against the State's series reads it ({claims_table}); "
            'a local news site gives "over" {cited} for {cited_on}. Nationally {france} of premises able to connect '
            "subscribed by {france_on} — a later date, when networks are older."
        ).format(
            table=r.table_ref("take_up"),
            subscribers=r.ref(GERS, "subscribers"),
            eligible=r.ref(GERS, "share eligible", "2023-07", "{:.0%}"),
            subscribers_on=subscribers_on,
            take_up=take_up,
            take_up_low=take_up_low,
            dwellings=r.evidence(e.study.role("focus_departement_dwellings")),
            claims_table=r.table_ref("series_claims"),
            cited=focus["cited"],
            cited_on=r.as_of(e.study.role("focus_take_up_cited")),
            france=r.quote(france, "{:.0%}", unit="share"),
            france_on=r.quote(f"{france}.on"),
        )
        + " "
        + _(
            "The lower reading divides the subscribers by the département's dwellings able to connect, second homes "
            "and the zone private operators built included. The source does not say whether its subscribers are the "
            "network's alone (the study's reading, under which this reading understates the network's take-up) or the "
            "whole département's (under which it is the département's rate)."
        )
        + take_up_untold(e, uptake)
    )
    # A take-up cited as "plus de 45 %" is at least that share: its cell says so, as its source does.
    hedges = [
        r.stated_as(str(ids).split(";")[0])[1] if reading == "cited" else ""
        for ids, reading in zip(uptake["evidence_ids"], uptake["reading"], strict=True)
    ]
    show(
        r.table(
            "take_up",
            in_words(uptake, "take_up.csv")[["where", "as_of", "take_up", "how"]].assign(
                where=uptake["where"].map(lambda w: names.get(w, w)),
                take_up=[
                    models_section.hedged(Translator(r.lang, "analysis"), e.F.share(value), hedge)
                    for value, hedge in zip(uptake["take_up"], hedges, strict=True)
                ],
            ),
            _("Take-up: subscribers over premises able to connect."),
            _("the articles and the cited reference rows; the study's computation"),
            {},
            data="data/processed/take_up.csv",
            evidence=uptake["evidence_ids"],
            # A stated take-up's date is its source's; a derived one's is quoted with it.
            cells=quoting.take_up_keys(uptake).assign(
                as_of=lambda k: [
                    key or r.as_of(ids.split(";")[0])
                    for key, ids in zip(k["as_of"], uptake["evidence_ids"], strict=True)
                ]
            ),
        )
    )
    e.take_up = take_up
    e.take_up_low = take_up_low
    e.subscribers_on = subscribers_on
    return e.take()


def models(e: Edition) -> list[Part]:
    """The models side by side."""
    _, figures_in, heading, in_words, models, r, show = e._, e.figures_in, e.heading, e.in_words, e.models, e.r, e.show
    heading("the-models-side-by-side", _("The models side by side"))
    show(
        models_section.report_section(
            r,
            in_words(models, "models.csv"),
            figures_in,
            natures=e.money_natures,
            cost_natures=e.cost_natures,
            # The two fibre networks' costs are read several ways (Table 15): each said as the central reading.
            other_readings=({e.GERS, e.TARN}, r.table_ref("readings")),
            # Amounts of 2003, 2014-2023 and a plan of 2019 side by side: in constant euros too, as Table 1.
            base_year=(int(r.quoted.loc["compare.base_year", "value"]), "compare.base_year"),
        )
    )
    # Running a network is part of the model: a contract that ended before the study's latest source, with no
    # later one for the same part, leaves who runs it unsaid, and the report says so rather than guess.
    contracts = e.study.contracts
    latest = int(max(str(d)[:4] for d in e.study.evidence["as_of"] if str(d)[:4].isdigit()))
    for n, row in ended_unsaid(contracts, latest).iterrows():
        e.md(
            _(
                "The cited contracts table does not say who has run {part} of {name} since its contract ended in {year}."
            ).format(
                part=esc(str(e.words(row["phase"], "contracts.csv", "phase"))),
                name=esc(e.names[row["initiative"]]),
                year=r.quote(f"compare.{row['initiative']}.contract_{int(n) + 1}.to_year", "{:.0f}", unit="year"),
            )
        )
    return e.take()


def programme(e: Edition) -> list[Part]:
    """The attraction programme (Soho Solo)."""
    (
        L,
        PROGRAMME,
        _,
        chart,
        families,
        families_by,
        heading,
        in_words,
        md,
        people_high,
        people_low,
        r,
        show,
        soho,
        study,
    ) = (
        e.L,
        e.PROGRAMME,
        e._,
        e.chart,
        e.families,
        e.families_by,
        e.heading,
        e.in_words,
        e.md,
        e.people_high,
        e.people_low,
        e.r,
        e.show,
        e.soho,
        e.study,
    )
    heading("soho-solo", _("Soho Solo"))
    teleworkers = study.role("programme_teleworkers")  # the programme's count of teleworkers (roles.csv)
    md(
        _(
            "The business press wrote, in its account of the programme's promoter (in its own sentence, not in his "
            "quoted words), that in a few years, up to {families_by}, {families} families had settled in the Gers through "
            "Soho Solo — about {people_eq} people at an assumed household size of {household}. Later counts, of people, "
            "are lower: between {people_low} and {people_high} in {first_count}–{last_count} ({figure}, {table}); {teleworkers} "
            "teleworkers by {teleworkers_on} is a count of another kind. The count of {people_2014} people in "
            "{people_2014_on} included {teleworkers_2014} teleworkers (a note of the cited reference data): newcomers were "
            "not all teleworkers. The families and the later counts of people can be set side by side only through the "
            "assumed household size, so each is shown as its source gives it, the families' figure as a claim, not a "
            "result. By its promoter's account, the programme depended on ADSL coverage obtained through an agreement with France Telecom. By the account of "
            "{eu_speaker} (an interested party), the EU funds raised since {eu_since}, {eu} million euros, went to all "
            "the partners of its European projects: they are not Soho Solo's cost. Its own budget was {budget} euros a year ({budget_on}, as the press reports it). No source "
            "gives its spending year by year: were that budget spent every year from its launch in {launch} (other "
            "sources: {launch_other}, after an EU pilot; an earlier start would raise these figures) to each count, it "
            "would come to {newcomer_low} to {newcomer_high} in current euros per person counted (the later counts of people, families "
            "included; not of teleworkers, another count), an assumption of the study, not a cost any source states."
        ).format(
            families_by=families_by,
            families=families,
            people_eq=r.quote(f"programmes.{PROGRAMME}.families.as_people", unit="people"),
            household=r.quote(f"programmes.{PROGRAMME}.persons_per_household", "{:.1f}", natures=["assumption"]),
            people_low=people_low,
            people_high=people_high,
            first_count=r.quote(f"programmes.{PROGRAMME}.people.first_on"),
            last_count=r.quote(f"programmes.{PROGRAMME}.people.last_on"),
            figure=r.figure_ref("programme_outcomes"),
            table=r.table_ref("soho"),
            teleworkers=r.evidence(teleworkers),
            teleworkers_on=r.as_of(teleworkers),
            people_2014=r.evidence(study.role("programme_people_2014")),
            people_2014_on=r.as_of(study.role("programme_people_2014")),
            teleworkers_2014=teleworkers_among(e, study.role("programme_people_2014")),
            # "Un peu plus de 23 millions": said as the bound its source gives.
            eu=models_section.hedged(
                Translator(r.lang, "analysis"),
                r.fig("soho_eu_funds_all_partners", "{:,.0f}", 1e-6),
                str(study.figures.set_index("figure_id").loc["soho_eu_funds_all_partners", "qualifier"]),
            ),
            eu_since=r.fig("soho_eu_funds_since_year", "{:.0f}"),
            # Whose words the amount is (evidence.csv's speaker), in the edition's words.
            eu_speaker=esc(
                str(
                    e.words(
                        study.evidence.set_index("evidence_id").loc["soho_eu_funds_all_partners", "speaker"],
                        "evidence.csv",
                        "speaker",
                    )
                )
            ),
            budget=r.evidence(study.role("programme_annual_budget")),
            budget_on=r.as_of(study.role("programme_annual_budget")),
            launch=r.quote(f"programmes.{PROGRAMME}.launch_year", unit="year"),
            launch_other=launch_from_note(e, study.role("programme_launch_year")),
            newcomer_low=r.quote(f"programmes.{PROGRAMME}.cost_per_newcomer.lowest", unit="EUR_per_newcomer"),
            newcomer_high=r.quote(f"programmes.{PROGRAMME}.cost_per_newcomer.highest", unit="EUR_per_newcomer"),
        )
    )
    show(
        r.table(
            "soho",
            in_words(soho, "programme_outcomes.csv")[
                ["as_of", "count", "unit", "what", "people_equivalent", "source_class", "source"]
            ].assign(source_class=L.values(soho["source_class"], "source_class")),
            _("Counts of Soho Solo's newcomers, with the class of each source."),
            _("the articles (Appendix A); people at the study's assumed household size"),
            {"count": "{:,.0f}", "people_equivalent": "{:,.0f}"},
            data="data/processed/programme_outcomes.csv",
            evidence=soho["evidence_id"],
            # Each count and date is its source's; families are people only at the assumed household size.
            cells=pd.DataFrame(
                {
                    "count": soho["evidence_id"],
                    "as_of": [r.as_of(i) for i in soho["evidence_id"]],
                    "people_equivalent": [
                        f"programmes.{PROGRAMME}.families.as_people" if unit == "families" else i
                        for unit, i in zip(soho["unit"], soho["evidence_id"], strict=True)
                    ],
                },
                index=soho.index,
            ),
            words=("source",),
        )
    )
    show(
        r.figure(
            "programme_outcomes",
            chart("programme_outcomes"),
            _("Soho Solo's newcomers as each source counts them."),
            _("the articles (Appendix A); people at the study's assumed household size"),
        )
    )
    return e.take()


def sensitivity(e: Edition) -> list[Part]:
    """The sensitivity of the headlines to each choice, and the scenarios."""
    CASTRES, F, GERS, L, _, chart, heading, high, in_words, low, md, names, r, sensitivity, show, study, words = (
        e.CASTRES,
        e.F,
        e.GERS,
        e.L,
        e._,
        e.chart,
        e.heading,
        e.high,
        e.in_words,
        e.low,
        e.md,
        e.names,
        e.r,
        e.sensitivity,
        e.show,
        e.study,
        e.words,
    )
    scenarios = e.scenarios
    heading("sensitivity", _("Sensitivity"))
    ratio_range = sens.tornado(sensitivity, "ratio_cost_per_premise")
    refused = sens.refused(sensitivity)
    still = F.join(
        [reader.choice_words(a, study.initiatives, L) for a in sens.unmoved(sensitivity, "ratio_cost_per_premise")]
    )
    md(
        _(
            "Each choice was moved alone ({figure}, {table}); a Gers cost moves only together with premises of the same "
            "scope. The Gers/Castres ratio of cost per premise runs from {low}, bounded by {low_by}, to {high}, bounded by "
            "{high_by}. {refused} pairs of cost and premises were refused because their scopes differ ({refused_table}) — "
            "among them the final cost read as phase 2's with the whole network's plugs (read as the whole works', it is a "
            "choice above), and the programme estimate with the homes eligible in the unfinished network. These leave the ratio unchanged: {still}. Per Mbit/s ({figure_mbit}) the choice that "
            "moves the ratio most is {mbit_most}: one choice at a time, the Castres/Gers ratio runs from {mbit_min} to "
            "{mbit_max}. Choices changed together were not tried: two of them moving the same way would take a ratio "
            "beyond these ranges. {scenarios} gives the headlines for each of the study's scenarios."
        ).format(
            figure=r.figure_ref("sensitivity_tornado"),
            table=r.table_ref("sensitivity"),
            low=low,
            high=high,
            low_by=r.bounding_choice("sensitivity.ratio_cost_per_premise.low"),
            high_by=r.bounding_choice("sensitivity.ratio_cost_per_premise.high"),
            refused=r.quote("sensitivity.refused_pairs", "{:.0f}", unit="count"),
            refused_table=r.table_ref("refused"),
            still=esc(still),
            figure_mbit=r.figure_ref("sensitivity_tornado_mbit"),
            scenarios=r.table_ref("scenarios"),
            mbit_most=esc(
                reader.choice_words(
                    sens.tornado(sensitivity, "ratio_cost_per_mbit").iloc[0]["assumption"], study.initiatives, L
                )
            ),
            mbit_min=r.quote("sensitivity.ratio_cost_per_mbit.low", "{:.1f}"),
            mbit_max=r.quote("sensitivity.ratio_cost_per_mbit.high", "{:.1f}"),
        )
    )
    show(
        r.figure(
            "sensitivity_tornado",
            chart("sensitivity_tornado"),
            _("The Gers/Castres ratio of cost per premise: how far each choice moves it."),
            _("the study's computation, one choice at a time (cost and premises of one scope)"),
        )
    )
    show(
        r.figure(
            "sensitivity_tornado_mbit",
            chart("sensitivity_tornado_mbit"),
            _("The Castres/Gers ratio of cost per Mbit/s: how far each choice moves it."),
            _("the study's computation, one choice at a time (cost and premises of one scope)"),
        )
    )
    show(
        r.table(
            "sensitivity",
            reader.sensitivity_ranges(ratio_range, study.initiatives, L),
            _("Low, central and high of the cost-per-premise ratio for each choice."),
            _("the study's computation, one choice at a time (cost and premises of one scope)"),
            {"low": "{:.1f}", "central": "{:.1f}", "high": "{:.1f}"},
            file="data/processed/sensitivity.csv",
            cells=quoting.sensitivity_keys(ratio_range, "ratio_cost_per_premise"),
            words=("assumption", "low_setting", "high_setting"),  # choices named by their labels
        )
    )
    show(
        r.table(
            "refused",
            reader.refused_pairs(refused, study.measures, study.initiatives, L),
            _("Pairs refused: cost and premises of different scopes."),
            _("the study's computation, one choice at a time (cost and premises of one scope)"),
            file="data/processed/sensitivity.csv",
            # Each option named by its label, linked to the figures it reads (the sensitivity step's choices).
            cells=quoting.refused_keys(refused, r.quoted.index),
            words=("cost_scope", "premises_scope"),
            natures_in="cost",  # each cost named by its option's label: "initial budget (2014)", "spent by ..."
        )
    )
    # Each scenario's id by the name the edition shows (its quoted numbers are keyed by the id).
    scenario_ids = dict(zip(in_words(scenarios, "scenarios.csv")["scenario"], scenarios["scenario"], strict=True))
    scenarios = in_words(scenarios, "scenarios.csv").assign(ok=scenarios["status"] == "ok")
    ok = scenarios[scenarios["ok"]]
    wide = ok.pivot(index="scenario", columns="headline", values="value").reset_index()
    wide = wide[["scenario", "ratio_cost_per_premise", f"{GERS}.cost_per_premise", f"{CASTRES}.cost_per_premise"]]
    refused_scenarios = scenarios[~scenarios["ok"]][["scenario", "status"]]
    computed = words("ok", "scenarios.csv", "status")
    wide = wide.merge(refused_scenarios, on="scenario", how="outer").fillna({"status": computed})
    if (wide["status"] == computed).all():
        # A column saying "computed" on every row tells the reader nothing: it is shown only beside a refusal.
        wide = wide.drop(columns="status")
    # The quoted number each cell shows: the central case's (the compare step's), or a scenario's.
    shown_headlines = {
        "ratio_cost_per_premise": "headline.ratio_cost_per_premise",
        f"{GERS}.cost_per_premise": f"{GERS}.cost_per_premise",
        f"{CASTRES}.cost_per_premise": f"{CASTRES}.cost_per_premise",
    }
    cells = pd.DataFrame(
        {
            column: [
                ""
                if pd.isna(value)
                else f"compare.{central}"
                if scenario_ids[name] == "central"
                else f"sensitivity.scenario.{slug(scenario_ids[name])}.{slug(column)}"
                for name, value in zip(wide["scenario"], wide[column], strict=True)
            ]
            for column, central in shown_headlines.items()
        },
        index=wide.index,
    )
    # A scenario is named by its label (labels.csv, kind "scenario"), never by its file's name; one without a label
    # (a scenario file a user added) by the data's words for it.
    wide["scenario"] = [L.get("scenario", scenario_ids[name]) or name for name in wide["scenario"]]
    wide = wide.rename(
        columns={
            "ratio_cost_per_premise": _("{focus}/{other} ratio of cost per premise").format(
                focus=names[GERS], other=names[CASTRES]
            ),
            f"{GERS}.cost_per_premise": _("{initiative}: cost per premise (€)").format(initiative=names[GERS]),
            f"{CASTRES}.cost_per_premise": _("{initiative}: cost per premise (€)").format(initiative=names[CASTRES]),
            "scenario": _("scenario"),
            "status": _("status"),
        }
    )
    show(
        r.table(
            "scenarios",
            wide,
            _("Headlines under each scenario (constant euros); scenarios of mismatched scopes refused."),
            _("the study's computation under each set of parameters"),
            # The ratio to a tenth, the costs per premise to the euro (computed from amounts stated to the million).
            {wide.columns[1]: "{:,.1f}"} | {c: "{:,.0f}" for c in wide.columns[2:4]},
            file="data/processed/scenarios.csv",
            cells=cells.set_axis(wide.columns[1:4], axis=1),
            # A scenario's name, and its status where one is refused (the data's words, not numbers).
            words=(wide.columns[0], *wide.columns[4:]),
        )
    )
    network_readings(e)
    return e.take()


def gers_tarn_readings(e: Edition) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The focus's and the concession's readings of public money and cost per plug (``readings``), and every
    pair of one's reading with the other's and what it says."""
    table = readings.network_readings(
        e.money,
        e.sensitivity,
        e.study.measures,
        e.study.figures,
        e.study.external,
        e.study.evidence,
        [e.GERS, e.TARN],
        ";".join(LOCAL_FUNDERS),
    )
    return table, readings.ranked_pairs(table, e.GERS, e.TARN)


def readings_verdict(e: Edition, table: pd.DataFrame, pairs: pd.DataFrame, keys: list[str]) -> str:
    """What the pairs of readings say of the two networks, in one sentence: none ranks them (and why, where one
    reason holds for all), or which rank them, each reading said by its nature and its euros per plug (``keys``:
    the quoted number of each of ``table``'s rows)."""
    _, L = e._, e.L
    ranked = pairs[pairs["verdict"].isin(["first", "second"])]
    families = {
        i: set(table.loc[table["initiative"] == i, "amount_nature"].map(nature_family)) for i in (e.GERS, e.TARN)
    }
    if ranked.empty and families[e.TARN] == {"foreseen"} and "foreseen" not in families[e.GERS]:
        return _(
            "No reading of one network can be ranked against a reading of the other: every amount of the "
            "{concession} is a forecast, and none of the {gers} network's is (a forecast is never set above or below "
            "money put in or spent)."
        ).format(concession=esc(e.names[e.TARN]), gers=esc(e.names[e.GERS]))
    if ranked.empty:
        return _(
            "No reading of one network can be ranked against a reading of the other: "
            "they differ in nature, in euros, in bounds or in the works they paid for."
        )
    # Each reading found above others, with those below it: all the other network's readings of its kind said as
    # such, else each by its nature and value.
    below: dict[int, list[int]] = {}
    for row in ranked.to_dict("records"):
        low, high = (row["first_row"], row["second_row"])[:: 1 if row["verdict"] == "first" else -1]
        below.setdefault(high, []).append(low)
    said = []
    for high, lows in below.items():
        other = table.loc[lows[0], "initiative"]
        alike = table[
            (table["initiative"] == other)
            & (table["measure"] == table.loc[high, "measure"])
            & (table["amount_nature"].map(nature_family) == nature_family(table.loc[high, "amount_nature"]))
        ]
        # The readings below, by nature: "its planned amounts (at most €2,223 and at most €2,453)".
        by_nature: dict[str, list[int]] = {}
        for low in lows:
            by_nature.setdefault(table.loc[low, "amount_nature"], []).append(low)
        under = e.F.join(
            [
                _.ngettext("its {nature} amount ({values})", "its {nature} amounts ({values})", len(rows)).format(
                    nature=esc(L("amount_nature", nature)),
                    values=e.F.join([reading_value(e, table, keys, low) for low in rows]),
                )
                for nature, rows in by_nature.items()
            ]
        )
        if len(lows) > 1 and set(lows) == set(alike.index):
            under = _("every {network} reading of the same measure and kind: {values}").format(
                network=esc(e.names[other]), values=under
            )
        else:
            under = _("the {network}'s {values}").format(network=esc(e.names[other]), values=under)
        said.append(
            _("the {network}'s {nature} ({value} per plug) is above {under}").format(
                network=esc(e.names[table.loc[high, "initiative"]]),
                nature=esc(L("amount_nature", table.loc[high, "amount_nature"])),
                value=reading_value(e, table, keys, high),
                under=under,
            )
        )
    return _(
        "By their bounds, and within what each covers (below), readings of the same measure and kind (a forecast — a "
        "plan, a budget, an estimate — only against a forecast) rank the two networks: {pairs}; a forecast is never "
        "set against money spent or a final cost."
    ).format(pairs=e.F.join(said))


def reading_keys(e: Edition, table: pd.DataFrame) -> list[str]:
    """The quoted number each reading's euros per plug is: the compare step's money per premise (constant where
    the reading is), or the sensitivity step's cost under that pair of cost and premises."""
    keys = []
    for _index, row in table.iterrows():
        if row["measure"] == readings.PUBLIC_MONEY:
            money_keys = quoting.money_keys(reading_money_row(e, row).to_frame().T).iloc[0]
            keys.append(money_keys["per_premise_constant" if row["euros"] == "constant" else "per_premise"])
        else:
            keys.append(quoting.reading_key(row["initiative"], row["reading"]))
    return keys


def reading_value(e: Edition, table: pd.DataFrame, keys: list[str], row: int) -> str:
    """A reading's euros per plug in a sentence, hedged as it is ("at least 2,824 €"), linked to its entry."""
    position = table.index.get_loc(row)
    number = e.r.quote(keys[position], "{:,.0f} €", unit="EUR_per_premise", natures=quoted.NATURES)
    return models_section.hedged(Translator(e.r.lang, "analysis"), number, table.loc[row, "qualifier"])


def reading_words(e: Edition, row: pd.Series) -> str:
    """A reading in words: whose public money, or which cost over which premises (their labels)."""
    if row["measure"] == readings.PUBLIC_MONEY:
        return str(e.words(reading_money_row(e, row)["funder"], "public_money.csv", "funder"))
    cost, premises = (part.strip() for part in str(row["reading"]).split("/"))
    initiative = row["initiative"]
    return e._("{cost} over {premises}").format(
        cost=e.L("option", f"{initiative}.{cost}"), premises=e.L("option", f"{initiative}.{premises}")
    )


def reading_money_row(e: Edition, row: pd.Series) -> pd.Series:
    """The row of public_money.csv a reading of public money is (its evidence id and, if derived, its share)."""
    money = e.money
    shares = money["share_id"].map(lambda s: s if isinstance(s, str) else "")
    found = money[
        (money["initiative"] == row["initiative"])
        & (money["evidence_id"] == row["reading"])
        & (shares == row["share_id"])
    ]
    if len(found) != 1:
        raise StudyError(
            f"data/processed/public_money.csv: expected one row [initiative={row['initiative']}, "
            f"evidence_id={row['reading']}], found {len(found)}"
        )
    return found.iloc[0]


def network_readings(e: Edition) -> None:
    """The Gers and the Tarn under every reading the sources allow: a heading, a paragraph and a table."""
    _, L, r = e._, e.L, e.r
    table, pairs = gers_tarn_readings(e)
    keys = reading_keys(e, table)
    concession, focus = e.TARN, e.GERS
    earlier = f"{concession}|public money under the earlier plan run by the département|2019-08"
    e.heading(
        "the-two-fibre-networks-reading-by-reading",
        _("The {gers} network and the {concession} concession, reading by reading").format(
            gers=e.names[focus], concession=e.names[concession]
        ),
        3,
    )
    e.md(
        _(
            "A département choosing between building its network and conceding it wants to know what each costs it "
            "per plug. The sources leave readings open, and {table} shows each: for the {gers} network, the local "
            "money with or without the intercommunalities' share (an assumption) and each of its costs over the "
            "network's plugs; for the {concession}, the public money of the concession and that of the earlier plan "
            "run by the Département, which it turned down and which, by its account, would have ended in {earlier_end}, "
            "and its "
            "concessionaire's plan with the public money inside it or on top of it. {verdict} What every reading "
            "leaves out: the {gers} network's amounts cover its whole works, by the study's reading the copper upgrades and WiFi of phase 1 "
            "with the fibre, and no source splits them by technology, so its money per fibre plug is lower by an "
            "amount the sources do not give; its public rows are local money only, the State's {state} million euros "
            "for phase 1 and the {region} million the Région granted coming on top (of another scope, so not added); "
            "the "
            "{concession}'s public money leaves out any State or Région money, by the Département's count. The "
            "concessionaire's revised plan ({revised} million euros, by the Département's account; no source gives the concessionaire's) is "
            "divided by no count of plugs: the sources give "
            "none for it (on {able_on} the concessionaire still measured its progress against the {due} plugs of its "
            "initial objective)."
        ).format(
            gers=esc(e.names[focus]),
            concession=esc(e.names[concession]),
            table=r.table_ref("readings"),
            verdict=readings_verdict(e, table, pairs, keys),
            earlier_end=plan_end_from_note(e, earlier),
            state=r.evidence(f"{focus}|State share of phase 1|2017", "{:,.0f}", 1e-6),
            region=r.evidence(f"{focus}|Region contribution|2017", "{:,.1f}", 1e-6),
            revised=revised_plan(e, f"{concession}|total investment by the concessionaire|2019"),
            able_on=r.as_of(f"{concession}|homes able to connect|2023-11-22"),
            due=r.evidence(f"{concession}|plugs to build|2019", "{:,.0f}"),
        )
    )
    bounds = {"at_least": _("at least"), "upper_bound": _("at most"), "approx": _("about")}
    shown = pd.DataFrame(
        {
            _("network"): [e.names[i] for i in table["initiative"]],
            _("money"): [
                _("public") if m == readings.PUBLIC_MONEY else _("all, public and private") for m in table["measure"]
            ],
            _("reading"): [reading_words(e, row) for _index, row in table.iterrows()],
            _("nature"): [L("amount_nature", n) for n in table["amount_nature"]],
            _("bound"): [bounds.get(q, "") for q in table["qualifier"]],
            _("€ per plug"): table["value"],
            _("euros"): [
                # Which euros, in words (the caption gives the constant euros' year): a year here would be a number.
                _("constant") if euros == "constant" else _("current")
                for euros in table["euros"]
            ],
        },
        index=table.index,
    )
    per_plug = shown.columns[5]
    e.show(
        r.table(
            "readings",
            shown,
            _(
                "The {gers} network and the {concession} concession under each reading the sources allow: public money "
                "per plug, and all the money per plug, each amount over the plugs of its own scope; in constant euros of "
                "{base_year} where the study spreads it over years of spending (an assumption), else in current euros."
            ).format(gers=e.names[focus], concession=e.names[concession], base_year=e.base_year),
            _("the study's computation from the articles and the cited reference rows"),
            {per_plug: "{:,.0f}"},
            cells=pd.DataFrame({per_plug: keys}, index=table.index),
            words=[c for c in shown.columns if c != per_plug],
            natures_in=shown.columns[3],
        )
    )


PLAN_END = re.compile(r"\bended in (\d{4})\b")  # "the in-house plan would have ended in 2031"


def plan_end_from_note(e: Edition, evidence_id: str) -> str:
    """The year a plan would have ended, as only the note of its reference row gives it ("would have ended in
    2031"), linked to the note's file, row and column."""
    return year_from_note(
        e,
        evidence_id,
        PLAN_END,
        "the year the plan would have ended",
        e._("the year the plan would have ended, as a note of the cited reference data gives it"),
    )


def every_departement(e: Edition) -> list[Part]:
    """Every département as context (ARCEP)."""
    _, figures_in, heading, processed, r, show = e._, e.figures_in, e.heading, e.processed, e.r, e.show
    heading("every-departement-as-context-arcep", _("Every département as context (ARCEP)"))
    show(panel_section.report_section(r, processed, figures_in))
    return e.take()


def fibre_series(e: Edition) -> list[Part]:
    """Every département over time: the State's quarterly fibre barometer and a 2026 end point."""
    e.heading("every-departement-over-time", e._("Every département over time: the State's fibre barometer"))
    # Numbered after the sections before it: its chart last, its tables before the appendices.
    panel_section.declare_in_report(e.r, "fibre_series", ["fibre_pace", "series_claims"])
    e.show(series_section.report_section(e, e.processed, e.figures_in))
    return e.take()


def shares_of_each_departement(e: Edition, measure: str) -> str:
    """Each fibre network's département's share in ARCEP's panel (``panel.departement_<code>.<measure>``), in words:
    "84% of the Gers's and 58% of the Tarn's"."""
    r, _ = e.r, e._
    shares = []
    for initiative in (e.GERS, e.TARN):
        code, name = series_section.departement_of(r.quoted, e.fibre_series, initiative)
        shares.append(
            _("{share} of the {departement}'s").format(
                share=r.quote(f"panel.departement_{code}.{measure}", "{:.0%}", unit="share"), departement=esc(name)
            )
        )
    return e.F.join(shares)


def pace_is_the_departements(e: Edition) -> str:
    """The limitation on pace: the State's barometer counts whole départements, private zones included, so a pace is
    the département's, not its network's; how much of each département the public-initiative zone held (ARCEP's
    panel) says by how much the two differ."""
    return e._(
        "**Pace is the département's, not the model's**: the State's barometer counts whole départements, private "
        "zones included; the public-initiative zone held {zones} dwellings in ARCEP's data of {quarter}; the "
        "comparable départements are the study's choice."
    ).format(zones=shares_of_each_departement(e, "public_dwelling_share"), quarter=e.r.quote("panel.quarter_last"))


def costs_follow_the_spread_of_housing(e: Edition) -> str:
    """The limitation on cost per plug: it follows how spread out the housing is before any model (rural communes'
    share of each département's dwellings, ARCEP's panel)."""
    return e._(
        "**A cost per plug follows the spread of housing, not the model alone**: rural communes held {shares} "
        "dwellings in ARCEP's data of {quarter}; no reading sets two networks' costs side by side for density, and "
        "the Gers/Castres-Mazamet ratio sets a rural département against an agglomeration's towns."
    ).format(shares=shares_of_each_departement(e, "rural_dwelling_share"), quarter=e.r.quote("panel.quarter_last"))


def no_accounts_and_consumer_prices(e: Edition) -> str:
    """The limitation on money over time: constant euros deflate works by consumer prices, and no source gives a
    network's accounts."""
    return e._(
        "**Constant euros rest on consumer prices, and no accounts are cited**: works are deflated by INSEE's "
        "consumer price index, not a construction index, some of its yearly values chained by the study from "
        "published rates ({table}); no source gives any network's revenue, operating cost or net public cost."
    ).format(table=e.r.table_ref("references"))


def limitations(e: Edition) -> list[Part]:
    """The limitations."""
    # The figures the press gives without naming who gave them: said to keep their outlet's class, which their rows
    # of evidence.csv must then hold (a figure reclassed as a party's claim leaves the sentence, or it is an error).
    unspoken = [
        e.study.role("focus_cost_spent"),
        e.study.role("focus_cost_at_completion"),
        reference_id({"topic": e.GERS, "figure": "total plugs of the network", "as_of": "2022"}),
    ]
    outlet_classed = e.study.evidence.set_index("evidence_id").loc[unspoken, "source_class"]
    if (outlet_classed != "independent_press").any():
        wrong = outlet_classed[outlet_classed != "independent_press"].index[0]
        raise StudyError(
            f"data/processed/evidence.csv, row [evidence_id={wrong}], column 'source_class': the Limitations say this "
            f"figure keeps its outlet's class (independent press), but it is {outlet_classed[wrong]!r}"
        )
    (
        _,
        castres_speed,
        castres_year,
        completed,
        graded,
        heading,
        md,
        ngettext,
        r,
        speed_high,
        speed_low,
        spent_by,
        study,
    ) = (
        e._,
        e.castres_speed,
        e.castres_year,
        e.completed,
        e.graded,
        e.heading,
        e.md,
        e.ngettext,
        e.r,
        e.speed_high,
        e.speed_low,
        e.spent_by,
        e.study,
    )
    heading("limitations", _("Limitations"))
    relevant = study.sources[study.sources["relevant"]].sort_values("published_latest")
    windows = relevant[relevant["date_precision"] != "day"]
    interested = graded[graded["interested_parties"] != ""]
    # The latest reference row, by its date: its date links to its own entry.
    external = study.external.assign(as_of=study.external["as_of"].astype(str))
    latest = external.sort_values("as_of").iloc[-1]
    reference_latest = r.as_of("|".join((latest["topic"], latest["figure"], latest["as_of"])))
    # The Gers's département in ARCEP's panel: how much of it the public-initiative zone held (its network's size).
    gers_code = series_section.departement_of(r.quoted, e.fibre_series, e.GERS)[0]

    md(
        "\n".join(
            "- " + item
            for item in [
                _(
                    "**Findings resting in part on interested parties' claims** ({table}, column *why*): what these "
                    "parties say about their own money or results — {parties}. The findings concerned: {findings}."
                ).format(
                    # Each question quoted whole, its question mark kept: joined bare, they ran on with capitals
                    # mid-sentence and no question marks.
                    findings=esc("; ".join(_("“{question}”").format(question=q) for q in interested["question"])),
                    parties=esc(claimants(interested["interested_parties"], r.lang)),
                    table=r.table_ref("findings"),
                ),
                _(
                    '**The Gers cost is disputed**: its source presents the one figure "at completion" as the whole works\' '
                    "cost; the study reads it as phase 2's only (a reading, not its source's words, which Gers Fibre's own "
                    "figure for phase 2, about {phase2} million, supports), so its central "
                    "figure is spending to {spent_on}, a lower bound of the final cost; the figure at completion read "
                    "as the whole works' is one of the readings tried ({sensitivity}, {readings}), where it gives the "
                    "Gers its lowest costs."
                ).format(
                    spent_on=spent_by,
                    sensitivity=r.table_ref("sensitivity"),
                    readings=r.table_ref("readings"),
                    phase2=r.evidence(study.role("focus_cost_phase_2"), "{:,.0f}", 1e-6),
                ),
                _(
                    "**Plugs counted once**: money per plug divides by the {plugs} plugs the {gers} network was said to "
                    "have in {plugs_on}, its stated size; were its final count higher, each per-plug figure would be "
                    'lower: "at least" holds of that count only. It may well be higher: ARCEP counted {premises} premises '
                    "in the whole département on {premises_on}, and the public-initiative zone held {zone_share} of its "
                    "dwellings on {zone_on}."
                ).format(
                    gers=esc(e.names[e.GERS]),
                    plugs=r.ref(e.GERS, "total plugs of the network"),
                    plugs_on=r.as_of(study.role("focus_plugs_total")),
                    premises=r.quote(f"series.{e.GERS}.endpoint_2026.premises"),
                    premises_on=r.quote(f"series.{e.GERS}.endpoint_2026.on"),
                    zone_share=r.quote(f"panel.departement_{gers_code}.public_dwelling_share", "{:.0%}", unit="share"),
                    zone_on=r.quote("panel.quarter_last"),
                ),
                pace_is_the_departements(e),
                costs_follow_the_spread_of_housing(e),
                no_accounts_and_consumer_prices(e),
                _(
                    "**Spending profiles are assumptions**: no source gives the Gers spending year by year; the even profile is "
                    "central and rising and falling profiles are tried."
                ),
                _(
                    "**The fibre networks' speeds are assumptions** (the Gers's {speed_low} to {speed_high}, the "
                    "Tarn's {tarn_speed}: no source states either); every per-Mbit/s figure of theirs moves with them. "
                    "Only Castres-Mazamet's speed is stated by its source."
                ).format(
                    speed_low=speed_low,
                    speed_high=speed_high,
                    tarn_speed=r.quote(f"compare.{e.TARN}.speed", unit="Mbit/s", natures=["assumption"]),
                ),
                _(
                    "**Public and private money are not split** for Castres-Mazamet or for the Gers's phase 2, and no "
                    "source says whether the Tarn concessionaire's planned investment includes the public money."
                ),
                _(
                    "**A figure's class follows its speaker only where the source names one**: the {gers} network's "
                    'spending ({spent} million euros), its cost "at completion" ({final} million) and its {plugs} '
                    "plugs are given by the press without saying who gave them (the plugs in an interview whose "
                    "speaker the cited reference row does not name), so they keep their outlet's class "
                    "(independent press), though they may well be the network's or its promoters' own figures, "
                    "relayed."
                ).format(
                    gers=esc(e.names[e.GERS]),
                    spent=r.evidence(unspoken[0], "{:,.0f}", 1e-6),
                    final=r.evidence(unspoken[1], "{:,.0f}", 1e-6),
                    plugs=r.evidence(unspoken[2]),
                ),
                _(
                    "**Different dates and technologies**: the articles date from {first_article} to {last_article} and the "
                    "latest figure a party or the press gives is of {reference_latest}, ARCEP's latest count of {barometer_latest}; DSL at {castres_speed} in {castres_year} and fibre from {works_start} "
                    "to {completed} are different products."
                ).format(
                    first_article=r.published(relevant.iloc[0]["article"], year_only=True),
                    last_article=r.published(relevant.iloc[-1]["article"], year_only=True),
                    reference_latest=reference_latest,
                    barometer_latest=r.quote(f"series.{e.GERS}.endpoint_2026.on"),
                    castres_speed=castres_speed,
                    castres_year=castres_year,
                    works_start=r.quote(f"series.{e.GERS}.own_network.start"),
                    completed=completed,
                ),
                _(
                    '**"Eligible" and "connected"** are used loosely by the press; shares of inhabitants and of premises are '
                    "not always distinguished."
                ),
                ngettext(
                    "**Press dates are inferred**: {count} relevant article gives only a window; see {table}.",
                    "**Press dates are inferred**: {count} relevant articles give only a window; see {table}.",
                    len(windows),
                ).format(
                    count=r.computed(
                        len(windows),
                        _("relevant articles dated only within a window"),
                        _("computed by the study: a count of its inputs"),
                        "{:.0f}",
                        [r.published(article) for article in windows["article"]],
                    ),
                    table=r.table_ref("sources"),
                ),
            ]
        )
    )
    return e.take()


def lessons(e: Edition) -> list[Part]:
    """Lessons for a département choosing a model (the study's judgement)."""
    _, castres_pp, gers_pp, heading, high, low, md, show, subscribers_on, take_up = (
        e._,
        e.castres_pp,
        e.gers_pp,
        e.heading,
        e.high,
        e.low,
        e.md,
        e.show,
        e.subscribers_on,
        e.take_up,
    )
    heading("lessons-for-a-departement-choosing-a-model", _("Lessons for a département choosing a model"))
    show(
        '<p class="judgement">{}</p>'.format(
            _(
                "<strong>The study's judgement</strong>, not a finding of the sources: what a département choosing between these "
                "models might take from them, given the limits above."
            )
        )
    )
    md(
        "\n".join(
            "- " + item
            for item in [
                _(
                    "**Cost a network per premise of the same scope, in constant euros, before comparing models.** The Gers's cost "
                    "per plug, {gers_pp} in euros of {base_year} (its spending known by {spent_on}, which also paid for "
                    "{works} by the study's reading, over the plugs the network was said to have in {plugs_on}: neither "
                    "its final cost nor fibre's alone), and Castres-Mazamet's {castres_pp} buy different products; the "
                    "ratio between them ({low}–{high}) says more about fibre against DSL, and a rural département against "
                    "an agglomeration's towns, than about public against mixed-economy ownership."
                ).format(
                    base_year=e.base_year,
                    works=cost_works(e, e.central_cost),
                    gers_pp=gers_pp,
                    castres_pp=castres_pp,
                    low=low,
                    high=high,
                    spent_on=e.spent_by,
                    plugs_on=e.r.as_of(e.study.role("focus_plugs_total")),
                ),
                _(
                    "**Publish one cost, with its scope, and keep that scope from one publication to the next.** The figures published on the Gers network's cost (by the "
                    "press, the Département and Gers Fibre) are of different scopes, which the press does not always say; "
                    "an auditor cannot reconcile them from public sources."
                ),
                _(
                    "**Under a works-and-operation contract (CREM) the public body keeps the demand risk** (in the study's reading, the contract form decides, not "
                    "ownership: the Tarn's Département owns its network too, yet its concessionaire carries that risk): the risk of "
                    "low take-up ({take_up_low} to "
                    "{take_up} as of {take_up_on}, the study's derivation by the two readings of the share eligible; another "
                    "source gives over {cited}) then falls on the public purse, not on the contractor. Handing the risk "
                    "of delay to a concessionaire did not keep the {concession} on time: {built} of its {due} plugs built at "
                    "the deadline, by the Département's count, and the penalties are not shown paid; nor did the {gers} "
                    "network meet its own target ({achieved_own} of inhabitants eligible on {achieved_on} against {target_own} by "
                    "{own_by}): neither network kept its announced dates, one case of each model, too few to judge the "
                    "models themselves."
                ).format(
                    concession=esc(e.names[e.TARN]),
                    gers=esc(e.names[e.GERS]),
                    achieved_own=e.achieved_own,
                    achieved_on=e.achieved_on,
                    target_own=e.target_own,
                    own_by=e.own_by,
                    built=e.r.ref(e.TARN, "plugs built at the contractual deadline"),
                    due=e.r.ref(e.TARN, "plugs to build"),
                    take_up=take_up,
                    take_up_low=e.take_up_low,
                    take_up_on=subscribers_on,
                    cited=e.r.evidence(e.study.role("focus_take_up_cited"), "{:.0%}"),
                ),
                _(
                    "**An attraction programme is not a substitute for a network**: Soho Solo needed ADSL coverage first, and its "
                    "outcomes are known only from counts by the press and its promoter, of different things (families, "
                    "people, teleworkers), not from an evaluation."
                ),
            ]
        )
    )
    return e.take()


def method(e: Edition) -> list[Part]:
    """The method."""
    _, heading, md, r, show = e._, e.heading, e.md, e.r, e.show
    heading("method", _("Method"))
    # Each table the rules live in is named in words, a link to its file for analysts (never a path in the text);
    # the colophon lists their files for a reader on paper.
    md(
        _(
            "The study keeps no article text: each figure is stored with the few words that state it and their character "
            "offsets in the article, and the tests check every span against the articles. Numbers are read as French prints "
            'them (a point between thousands, "millions d\'euros", "deux Gersois sur trois"), hedges become qualifiers '
            '("plus de" → at least, "d\'ici" a year → a target), and each article\'s date is inferred from its printed day '
            "and weekday and its context. Which figure serves as each initiative's cost, premises, population and speed is "
            "data ({measures}), each option with its scope; a cost is only divided by premises of the same scope, and only "
            "by a speed of the network it paid for. Multi-year costs are deflated year by year along a declared spending "
            "profile ({profiles}) with INSEE's consumer price index: the even profile puts the same amount in each month "
            "up to the month of the figure (a last year counts its months), the rising one weights each year one step "
            "more than the year before, the falling one the reverse, and the Sensitivity section moves each. Every "
            "article is classed as independent press, an "
            "interested party's release or words, or official ({classes}), a figure reporting someone's words takes its "
            "speaker's class ({claims}: a party's words about its own money or results are its claim, whoever reports "
            "them), and each reference row is classed by its publisher. Each amount says what it is, a plan, a grant, money "
            "put in, spending to date or a need ({natures}). A finding's strength starts strong and loses "
            "a step for each of: an assumption (an assumed spending profile, or a conversion between measures), an "
            "interested party's claim, a bound or approximate figure, an amount that is not final, sources that disagree "
            "(only independent sources of the same scope count; where the study reads a figure in another scope than "
            "its source gives it, both readings count)."
        ).format(**{key: r.data_link(file, _(words)) for key, (file, words) in METHOD_TABLES.items()})
        + " "
        + _(
            "The paces on the State's series are graded by the same rules, from the series' own figures (the "
            "State's, official): the study's choice of the comparable départements counts as an assumption."
        )
    )
    heading("words-and-units", _("Words and units"), 3)
    # The sources count in different units; a reader who sets a share of inhabitants beside a share of plugs
    # compares two things. Each unit is defined once here, in the edition's words.
    show(
        '<ul class="glossary">'
        + "".join(
            "<li>{}</li>".format(
                _("{term}: {meaning}").format(term=f"<strong>{esc(term)}</strong>", meaning=esc(meaning))
            )
            for term, meaning in glossary_terms(_)
        )
        + "</ul>"
    )
    return e.take()


def glossary_terms(_) -> list[tuple[str, str]]:
    """The units and words the report counts in, each with what it means, in the edition's language."""
    return [
        (
            _("plug (prise)"),
            _(
                "a premises the fibre network has made able to connect: the networks and the press count their "
                "size and progress in plugs."
            ),
        ),
        (
            _("premises (local)"),
            _(
                "a dwelling or a business's premises; ARCEP and the State's barometer count the premises able to "
                "connect."
            ),
        ),
        (
            _("dwelling (logement)"),
            _("a housing unit as INSEE counts it, lived in or not: more than households, fewer than premises."),
        ),
        (_("household (foyer)"), _("the people who live in one dwelling.")),
        (
            _("inhabitant (habitant)"),
            _("a person counted by INSEE's census: a share of inhabitants is not a share of plugs or of premises."),
        ),
        (
            _("able to connect (raccordable, éligible)"),
            _(
                "a premises the network passes, where a subscription can be ordered; it is connected (raccordé) once "
                'its line into the home is built, usually when it subscribes. Some sources say "raccordés" for '
                "premises able to connect."
            ),
        ),
        (_("take-up"), _("subscribers over the premises able to connect.")),
        (
            _("nominal and constant euros"),
            _(
                "euros of the year they were spent, and the same euros brought to the prices of the base year by "
                "INSEE's consumer price index."
            ),
        ),
        (
            _("FTTH (fibre to the home)"),
            _("fibre run all the way into the premises, the networks the Gers and the Tarn built; DSL runs on copper."),
        ),
        (
            _("CREM (conception-réalisation-exploitation-maintenance)"),
            _(
                "a works-and-operation contract: one firm designs, builds, runs and maintains a network that the public "
                "body owns and pays for; the public body usually keeps the network's commercial risk (the study's reading "
                "for the Gers)."
            ),
        ),
        (
            _("DSP (délégation de service public)"),
            _(
                "a concession: the public body entrusts building and running its network to a private operator for a "
                "set term; the operator earns the network's revenue and bears its commercial risk."
            ),
        ),
        (
            _("SEM (société d'économie mixte)"),
            _("a company whose majority the local authorities hold, with private shareholders beside them."),
        ),
        (
            _("DSL (digital subscriber line)"),
            _("internet carried over the copper telephone line; ADSL is one of its forms."),
        ),
        (
            _("quarter (Q)"),
            _(
                "a quarter of a year, written Q and its rank, the first ending in March and the fourth in December, as "
                "ARCEP dates its data."
            ),
        ),
        (
            _("public-initiative zone"),
            _(
                "the part of a département where no private operator committed to build fibre on its own, left to a "
                "network of the local authorities."
            ),
        ),
        # The public bodies whose data the report reads, named by their initials elsewhere.
        (
            _(
                "ARCEP (Autorité de régulation des communications électroniques, des postes et de la distribution de la presse)"
            ),
            _("the French telecoms regulator; it publishes, each quarter, how many premises can connect to fibre."),
        ),
        (
            _("INSEE (Institut national de la statistique et des études économiques)"),
            _(
                "France's statistics office, which counts inhabitants and dwellings in its census and computes the "
                "consumer price index."
            ),
        ),
        (
            _("DITP (Direction interministérielle de la transformation publique)"),
            _(
                "the State's office that publishes the results barometer's recent quarters; Etalab, the State's "
                "open-data service, published the earlier ones."
            ),
        ),
    ]


def appendix_sources(e: Edition) -> list[Part]:
    """Appendix A: the sources."""
    F, L, _, in_words, md, r, show, study, table = e.F, e.L, e._, e.in_words, e.md, e.r, e.show, e.study, e.table
    classes = in_words(table("article_classes"), "article_classes.csv").set_index("article")
    sources = in_words(study.sources, "sources.csv").assign(
        date=study.sources["published"].map(lambda d: F.date(d) if d else _("uncertain")),
        source_class=L.values(study.sources["article"].map(classes["source_class"]), "source_class"),
        relevant=study.sources["relevant"].map({True: L("word", "yes"), False: L("word", "no")}),
    )
    show('<div class="appendix"><h2 id="appendix-sources">{}</h2></div>'.format(esc(_("Appendix A: Sources"))))
    show(
        r.table(
            "sources",
            sources[["article", "source", "title", "outlet", "date", "source_class", "relevant"]],
            _("The articles, with their inferred publication dates and their class (why each is classed so, below)."),
            _("the articles, and the study's reading of their dates and classes"),
            data="data/processed/sources.csv",
            # A date is its article's (inferred from its text when the article prints none: see below).
            cells=pd.DataFrame({"date": [r.published(a) for a in sources["article"]]}, index=sources.index),
            words=("article", "source", "title", "outlet"),
        )
    )
    show(
        '<dl class="basis">'
        + "".join(
            "<dt>{}</dt><dd>{} {}</dd>".format(
                esc(_("Article {article}: {date}").format(article=a, date=d)),
                esc(b if b.endswith(".") else b + "."),
                esc(_("Class: {basis}.").format(basis=classes.loc[a, "class_basis"])),
            )
            for a, d, b in sources[["article", "date", "date_basis"]].itertuples(index=False)
        )
        + "</dl>"
    )
    refs = in_words(study.reference_tables, "reference_tables.csv")[["table", "title", "producer", "access_note"]]
    md(_("The reference tables, copied unchanged with a citation on every row:"))
    show(
        r.table(
            "references",
            refs,
            _("Reference tables."),
            _("the cited list of reference tables"),
            data="data/processed/reference_tables.csv",
            # Each table described in words, as the cited list of reference tables words it (its row and column).
            cells=pd.DataFrame(
                {
                    column: [
                        r.reference_cell(
                            str(text),
                            _("words of the cited list of reference tables"),
                            "data/raw/reference/reference_tables.csv",
                            n + 1,
                            column,
                        )
                        if any(c.isdigit() for c in str(text))
                        else ""
                        for n, text in zip(refs.index, refs[column], strict=True)
                    ]
                    for column in ("title", "access_note")
                },
                index=refs.index,
            ),
            words=("table", "producer"),
        )
    )
    return e.take()


def appendix_provenance(e: Edition) -> list[Part]:
    """Appendix B: the provenance of every number."""
    _, md, r, show = e._, e.md, e.r, e.show
    show('<h2 id="appendix-provenance">{}</h2>'.format(esc(_("Appendix B: Provenance of every number"))))
    md(
        _(
            "Every number quoted in the text above, once, under its primary source: each article (with its verbatim "
            "words), each cited reference (its row or its quote), the study's assumptions; then the numbers the "
            "study computed, each linked to the numbers it is computed from. Each entry gives the class of its "
            "source. Entries are numbered in this order: the small number after a number on paper is its entry; "
            "on screen, ↩ leads back to each place the text quotes it."
        )
    )
    if r.groups:
        md(
            _(
                "The numbers of every département that the national panel's and the series' ranks and medians are "
                "computed from follow in tables of their own, one row per département; each cell is its number's "
                "entry, and what a column's numbers are and where they come from is said once, under its caption."
            )
        )
    show(
        r.table(
            "provenance",
            r.provenance(),
            _("Provenance of the numbers in the text, by source."),
            _("the study's record of each number as the text quotes it"),
        )
    )
    for table in r.grouped_tables():
        show(table)
    return e.take()
