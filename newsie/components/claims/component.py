"""The "newsie_claims" component: event records, one per reported figure.

For each normalized quantity: what is counted and the event type (`counted`), whether it
is a claim at all (`exclusions`), who said it (`sources`), when (`timing`), where and who
took part, hedged or negated (`context`). Settings come from config: the event taxonomy
(configs/event_types.cfg), the alias file (configs/aliases.tsv) and the trained models
(models/claims: `newsie train claims`), all saved with the pipeline by to_disk.

The event type: the taxonomy rules give a fine type (`counted.event_type`); when a trained
event-type model is configured, it decides the coarse type from the figure's context
(`type_features`), the rules' type among its features, and the rules' fine type is kept in
`event_detail` where it agrees.
"""
from __future__ import annotations

from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import ensure_path

from ... import extensions  # noqa: F401
from ...extensions import Attribution
from ...syntax import indexed_sentences
from ...normalize.aliases import AliasTable
from .claim import Claim
from .context import LOCATION_LABELS, actors_of, entity_names, is_hedged, is_negated
from .counted import (MEASURE_TYPES, PEOPLE_TYPES, counted_noun, counted_text, event_type, is_clause_argument, listed_with,
                      number_token, part_of_earlier)
from .exclusions import CLAIM_KINDS, SPILL_TYPE, exclusion, in_a_source, spilled_volume
from .linear import LinearModel
from .source_ranker import choose, named_on_figure, report_noun_of, source_candidates
from .sources import resolve_sources
from .taxonomy import Taxonomy
from .timing import date_restated_figures, time_for
from .type_features import COARSE_OF, COARSE_TYPES, coarse, document_features, figure_features


@Language.factory(
    "newsie_claims",
    requires=["doc._.quantities", "doc._.timexes", "doc._.attributions", "doc.ents", "token.dep"],
    assigns=["doc._.claims"],
    default_config={"taxonomy_path": None, "alias_file": None, "models_path": None},
)
def make_claim_builder(nlp: Language, name: str, taxonomy_path: str | None, alias_file: str | None,
                       models_path: str | None):
    if taxonomy_path is None:
        raise ValueError("newsie_claims needs taxonomy_path, an event-types config (configs/event_types.cfg)")
    builder = ClaimBuilder(name, taxonomy=Taxonomy.from_disk(taxonomy_path),
                           aliases=AliasTable.from_file(alias_file) if alias_file else None)
    if models_path is not None:
        builder.load_models(models_path)
    return builder


TYPE_MODEL = "event_type.json"
SOURCE_MODEL = "source.json"
# The rules' fine types the trained event-type model decides (None: the rules found no type).
MODEL_DECIDES = {None, "hospitalized"}


class ClaimBuilder:
    def __init__(self, name: str = "newsie_claims", *, taxonomy: Taxonomy, aliases: AliasTable | None = None,
                 type_model: LinearModel | None = None, source_model: LinearModel | None = None):
        self.name = name
        self.taxonomy = taxonomy
        self.aliases = aliases or AliasTable()
        self.type_model = type_model
        self.source_model = source_model
        self.keep_features = False  # `newsie train claims` reads each claim's features

    def load_models(self, path: str | Path) -> None:
        folder = ensure_path(path)
        if not (folder / TYPE_MODEL).exists():
            raise ValueError(f"newsie_claims: no {TYPE_MODEL} in {folder} (train one with `newsie train claims`)")
        self.type_model = LinearModel.from_disk(folder / TYPE_MODEL)
        self.source_model = LinearModel.from_disk(folder / SOURCE_MODEL) if (folder / SOURCE_MODEL).exists() else None

    def __call__(self, doc: Doc) -> Doc:
        with indexed_sentences(doc):  # every figure asks for its sentence, many times
            return self._annotate(doc)

    def _annotate(self, doc: Doc) -> Doc:
        attributions = doc._.attributions or []
        for group in (attributions, doc._.rule_attributions or []):
            resolve_sources(doc, group, self.aliases)
        claims: list[Claim] = []
        for span in doc._.quantities or []:
            claim = self.build_claim(doc, span, attributions, claims)
            if claim is not None:
                claims.append(claim)
        self.decide_types(claims)
        date_restated_figures(claims)
        doc._.claims = claims
        return doc

    def build_claim(self, doc: Doc, span: Span, attributions: list[Attribution], earlier: list[Claim]) -> Claim | None:
        q = span._.quantity
        if q is None or q.kind not in CLAIM_KINDS or in_a_source(span, attributions):
            return None  # "two officials said ..." counts the speakers, not the event
        number = number_token(span)
        noun = counted_noun(number, span)
        event = event_type(number, noun, span, self.taxonomy, PEOPLE_TYPES if q.kind == "measure" else MEASURE_TYPES)
        same_sentence = [c for c in earlier if c.sentence_start == span.sent.start_char]
        inherits = noun is None and same_sentence and is_clause_argument(number, span)
        if event is None and inherits:
            event = same_sentence[-1].event_type  # "... 300 soldiers had died and another 2,700 had been injured"
        part_of = part_of_earlier(number, same_sentence)
        if part_of is not None and (event is None or noun is not None and not _names_an_event(noun, self.taxonomy)):
            event = part_of.event_type  # "74 deaths, ... including 24 children": the children died
        listed = listed_with(q, number, same_sentence)
        if listed is not None and event is None:
            event = listed.event_detail  # "500 miles of coast were oiled: 300 miles in Texas, ..."
        excluded = exclusion(q, number, noun, event, self.taxonomy)
        if excluded is not None and not (excluded == "measure" and listed is not None):
            return None
        if q.kind == "measure" and event in PEOPLE_TYPES:
            event = None  # a measure counts no people (an inherited or a group's event)
        if q.kind == "measure" and event is None and spilled_volume(q, number, self.taxonomy):
            event = SPILL_TYPE  # "put the total amount of oil spilt at 6 million gallons"
        if event == "hospitalized" and self.taxonomy.names_a_disease(span.sent):
            event = "infected"  # "120 patients with cholera were admitted"
        if q.kind == "money" and event == "supplied":
            event = "funding"  # "pledged $40m in aid": money, not goods delivered
        if q.kind == "money" and event == SPILL_TYPE:
            event = None  # "the spill's costs run to $3bn": money is not what a spill releases
        attribution_index, attribution, options = self.choose_source(doc, span, number, noun, attributions, same_sentence)
        timex = time_for(span, number, noun, doc._.timexes or [], attribution)
        source = attribution.source if attribution is not None else None
        return Claim(
            event_type=event or "other", event_detail=event,
            # read only by the type model (where it decides) and by training
            features=(figure_features(number, noun, span, event, q.unit, self.taxonomy)
                      if self.keep_features or (self.type_model is not None and event in MODEL_DECIDES) else {}),
            source_options=options,
            quantity_start=q.start, quantity_end=q.end, quantity_text=q.text,
            value=q.value, low=q.low, high=q.high, unit=q.unit,
            approximate=q.approximate, qualifier=q.qualifier,
            counted=counted_text(noun) if noun is not None else (same_sentence[-1].counted if inherits else None),
            source_text=source.text if source is not None else None,
            source_canonical=attribution.canonical if attribution is not None and source is not None else None,
            time_text=timex.text if timex is not None else None,
            time_start=timex._.timex.start if timex is not None else None,
            time_end=timex._.timex.end if timex is not None else None,
            locations=entity_names(span.sent, LOCATION_LABELS, exclude=source),
            actors=actors_of(number, noun, exclude=source),
            hedged=is_hedged(span, number), negated=is_negated(number, noun),
            sentence_start=span.sent.start_char, sentence_end=span.sent.end_char,
            attribution_index=attribution_index,
        )

    def choose_source(self, doc: Doc, span: Span, number: Token, noun: Token | None, attributions: list[Attribution],
                      same_sentence: list[Claim]):
        """(index among attributions, attribution, the candidates for training) of the figure's
        source, chosen by source_ranker among the Doc's attributions and the rule attributions
        a trained component left (Doc._.rule_attributions); one of those that wins joins the
        Doc's attributions so the claim can link to it."""
        fallbacks = doc._.rule_attributions or []
        earlier = same_sentence[-1].attribution_index if same_sentence else None
        # "the NIS said about 300 had died, and 2,700 were injured": one source per sentence
        candidates = source_candidates(doc, span, attributions + fallbacks,
                                       attributions[earlier] if earlier is not None else None,
                                       self.on_figure_attribution(doc, span, number, noun), noun)
        chosen = choose(candidates, self.source_model).attribution
        options = candidates if self.keep_features else []
        if chosen is None:
            return None, None, options
        if not any(a is chosen for a in attributions):
            if any(a is chosen for a in fallbacks):
                fallbacks.remove(chosen)
            attributions.append(chosen)
        return next(i for i, a in enumerate(attributions) if a is chosen), chosen, options

    def on_figure_attribution(self, doc: Doc, span: Span, number: Token, noun: Token | None) -> Attribution | None:
        """An attribution for a source named on the figure ("the organizers' count of 40,000"),
        its cue the report noun, its content the figure's sentence, its name resolved."""
        source = named_on_figure(number, noun)
        if source is None or (source.start_char < span.end_char and span.start_char < source.end_char):
            return None
        report = report_noun_of(number, noun)
        attribution = Attribution(cue=doc[report.i: report.i + 1], source=source, content=[span.sent], score=0.7)
        resolve_sources(doc, [attribution], self.aliases)
        return attribution

    def decide_types(self, claims: list[Claim]) -> None:
        """Each claim's coarse event_type and its event_detail (the rules' finer type, where it
        falls under that coarse type). The rules decide where they name a type; the trained
        model decides where they name none, or one that depends on the context (MODEL_DECIDES:
        hospitalized after an attack is wounded, with a disease infected). On claims-train,
        5-fold by document, this beats both the rules and the model alone (docs/claims.md)."""
        rule_types = [c.event_detail for c in claims]  # build_claim leaves the rules' fine type there
        in_document = document_features(rule_types, [c.sentence_start for c in claims])
        for claim, fine, extra in zip(claims, rule_types, in_document):
            if claim.features:  # build_claim computed them: the model decides here, or training reads them
                claim.features.update(extra)
            decided = coarse(fine)
            if self.type_model is not None and fine in MODEL_DECIDES:
                decided = self.type_model.predict(claim.features)
            claim.event_type = decided
            claim.event_detail = fine if fine not in (None, *COARSE_TYPES) and (coarse(fine) == decided or fine in COARSE_OF) else None
            if not self.keep_features:
                claim.features = {}

    # serialization: the taxonomy, the alias table and the models travel with the pipeline
    def to_disk(self, path, *, exclude=tuple()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "taxonomy.json", self.taxonomy.to_dict())
        srsly.write_json(path / "aliases.json", self.aliases.aliases)
        for file, model in ((TYPE_MODEL, self.type_model), (SOURCE_MODEL, self.source_model)):
            if model is not None:
                model.to_disk(path / file)

    def from_disk(self, path, *, exclude=tuple()):
        path = ensure_path(path)
        self.taxonomy = Taxonomy.from_dict(srsly.read_json(path / "taxonomy.json"))
        aliases = Path(path) / "aliases.json"
        self.aliases = AliasTable(dict(srsly.read_json(aliases))) if aliases.exists() else AliasTable()
        self.type_model = LinearModel.from_disk(path / TYPE_MODEL) if (path / TYPE_MODEL).exists() else None
        self.source_model = LinearModel.from_disk(path / SOURCE_MODEL) if (path / SOURCE_MODEL).exists() else None
        return self


def _names_an_event(noun, taxonomy: Taxonomy) -> bool:
    return bool(taxonomy.types_of(noun.lemma_.lower(), as_verb=False))
