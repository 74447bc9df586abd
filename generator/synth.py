"""Synthetic reading lists for benchmarks and scale tests.

``synthesize`` turns (N, seed, vocabulary) into N records that look like real
ones: 1-2 topics and 2-6 tags with a skewed popularity (and every tag on at
least three papers once the list is big enough), 3-12 authors, a ~1.5 KB
abstract, unique arXiv ids and titles, ids from :func:`derive_id`, some
venues, links and notes. ``write_corpus`` writes them with the canonical
writer, next to a verbatim copy of the vocabulary, so the folder passes
``python -m generator check``. Everything comes from one seeded
``random.Random``: the same N, seed and vocabulary give a byte-identical folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator.check.vocabulary import load_vocabulary
from generator.errors import SynthError
from generator.record.fields import MIN_PAPERS_PER_TAG, MIN_TAGS_PER_PAPER, VOCABULARY_FILES
from generator.record.ids import derive_id
from generator.record.venues import parse_venue_text
from generator.record.write import format_record

T = TypeVar("T")

SYNTH_VERSION = 1  # bump when the output for a given (N, seed) changes: benchmarks re-synthesise
DEFAULT_SEED = 1
DEFAULT_TODAY = dt.date(2026, 11, 24)
FIRST_YEAR = 2019  # arXiv ids span 1901 .. the month of `today`
FIRST_ADDED = dt.date(2024, 1, 1)
STAMP = ".synth.json"  # a dot file: the loader skips it

MAX_TAGS = 6
MAX_TOPICS = 2
ABSTRACT_MIN, ABSTRACT_MAX = 1_250, 1_780  # bytes; the target is drawn in between

# Shares, as in the seed list: how many tags a paper has, how recent papers are.
TAG_COUNT_WEIGHTS = {2: 15, 3: 30, 4: 28, 5: 20, 6: 7}
YEAR_WEIGHTS = {2019: 3, 2020: 4, 2021: 6, 2022: 8, 2023: 14, 2024: 20, 2025: 27, 2026: 18}
AUTHOR_COUNT_WEIGHTS = {3: 16, 4: 16, 5: 14, 6: 12, 7: 10, 8: 9, 9: 7, 10: 6, 11: 5, 12: 5}
TAG_SKEW = 0.6  # weight of the k-th most popular tag ~ 1 / k**TAG_SKEW
TOPIC_SKEW = 0.7
TOPIC_AFFINITY_TAGS = 12  # each topic favours this many tags ...
TOPIC_AFFINITY_BOOST = 4.0  # ... this many times more often

# --- word pools -------------------------------------------------------------------------

FIRST_NAMES = (
    "Ada Alan Alice Amara Amir Ana Andrea Anika Arjun Aya Bao Beatriz Ben Bo Carlos Chen Chiara Chloe Dan Dana "
    "Daniel David Deepa Diego Dmitri Elena Eli Emma Erik Esther Fatima Felix Fei Gabriel Hana Hao Hiroshi Ibrahim "
    "Ines Ivan Jae Jakob James Jia Jin Jing Jonas Jorge Julia Kai Kenji Kofi Lara Lea Lei Leila Li Lin Lucas Luis "
    "Maya Mei Mehmet Meng Mia Min Mohammed Nadia Naveen Nia Noah Olga Omar Oscar Pablo Priya Qi Qian Rahul Rania "
    "Ravi Rui Sakura Samuel Sara Sebastian Shreya Sofia Sun Tariq Tao Thomas Tomas Wei Xin Yan Yara Yi Yuki Yusuf "
    "Zhen Zoe Ziyang Hyun-woo Ji-ho Jean-Luc Anne-Marie Jose Ngozi Amani Chidi Kwame Tenzin Leilani Mateo Ilya"
).split()
LAST_NAMES = (
    "Abe Adeyemi Ahmed Alvarez Andersen Bauer Becker Bianchi Brown Cao Chen Cheng Costa Cruz Dai Das Deng Dubois "
    "Edwards Fernandez Fischer Fu Gao Garcia Gupta Han Hansen He Hoffmann Hu Huang Ibrahim Ito Iyer Jang Jensen "
    "Jiang Johnson Kato Khan Kim Kowalski Kumar Lam Larsen Lee Li Liang Lin Liu Lopez Lu Luo Ma Martin Martinez "
    "Meyer Mishra Moreau Muller Nakamura Nguyen Novak Okafor Okonkwo Olsen Park Patel Peng Petrov Qian Ramos Rao "
    "Reddy Rossi Roy Sato Schmidt Shah Shen Silva Singh Smith Song Sun Suzuki Tan Tanaka Tang Taylor Tran Wagner "
    "Wang Weber Wei Wong Wu Xia Xie Xu Yamamoto Yang Yao Ye Yilmaz Yu Zhang Zhao Zheng Zhou Zhu Zou Osei Mensah "
    "Haddad Nasser Kaya Sorensen Lindqvist Virtanen Horvath Popescu Ivanova Kovacs O'Brien McAllister van Dijk"
).split()
MIDDLE_INITIALS = "A B C D E F G H J K L M N P R S T W".split()

NAME_PARTS = (
    "Agent Swarm Mind Tool Gym Evo Neuro Hive Flock Chain Think Reason Plan World Sim Robo Meta Auto Self Co Sym "
    "Morph Lang Graph Play Quest Nexus Echo Pulse Lumen Atlas Orbit Ripple Spark Forge Bridge Scale Crowd Colony "
    "Ant Bee Social Debate Vote Trust Guard Probe Lens Map Path Step Loop Grok Tune Align Shift Drift Phase Wave "
    "Field Cell Seed Grow Nest Herd Tribe Pact Relay Signal"
).split()
NAME_SUFFIXES = ("", "", "", "", "-RL", "-R1", "-Bench", "-X", "2", "-Zero", "-V", "-Lite", "-Net", "-LM", "-Sim")

PHENOMENA = (
    "Cooperation", "Deception", "Tool Use", "Self-Correction", "Theory of Mind", "Division of Labor", "Flocking",
    "Collective Foraging", "Reward Hacking", "In-Context Learning", "Grokking", "Compositional Generalization",
    "Communication Protocols", "Social Norms", "Role Specialization", "Long-Horizon Planning",
    "Strategic Reasoning", "Self-Reflection", "Curiosity", "Consensus Formation", "Language Drift", "Sycophancy",
    "Situational Awareness", "World Models", "Misalignment", "Coordination", "Trust", "Negotiation",
    "Self-Organization", "Morphogenesis", "Swarm Intelligence", "Spatial Representations", "Backtracking",
    "Verification Behavior", "Cultural Transmission", "Opinion Dynamics", "Market Behavior", "Shortcut Learning",
    "Goal Misgeneralization", "Collusion", "Reciprocity", "Leadership", "Imitation", "Phase Transitions",
)
SETTINGS = (
    "Multi-Agent Reinforcement Learning", "Large Language Models", "Language-Model Societies", "Web Agents",
    "Embodied Agents", "Robot Swarms", "Open-Ended Environments", "Multi-Agent Debate", "Cellular Automata",
    "Social Simulations", "Text-Based Games", "Minecraft", "Negotiation Games", "Economic Simulations",
    "Vision-Language Models", "Small Transformers", "Mixture-of-Experts Models", "Autonomous Driving",
    "Humanoid Robots", "Agent-Based Models", "Drone Swarms", "Sequential Social Dilemmas", "Coding Agents",
    "Recommender Systems", "Artificial Life", "Neural Cellular Automata", "Mathematical Reasoning",
)
METHODS = (
    "Reinforcement Learning from Verifiable Rewards", "Self-Play", "Curriculum Learning",
    "Population-Based Training", "Evolutionary Search", "Contrastive Pretraining", "Preference Optimization",
    "Sparse Autoencoders", "Imitation Learning", "Model-Based Planning", "Test-Time Scaling", "Iterated Learning",
    "Synthetic Data", "Reward Shaping", "Graph Neural Networks", "Diffusion Policies",
    "Mechanistic Interpretability", "Memory-Augmented Agents", "Decentralized Training", "Language Feedback",
)
GERUNDS = (
    "Eliciting", "Measuring", "Understanding", "Scaling", "Training", "Steering", "Probing", "Benchmarking",
    "Detecting", "Explaining", "Learning", "Modeling", "Simulating", "Controlling", "Rethinking", "Evaluating",
    "Predicting", "Amplifying", "Mitigating", "Discovering", "Tracing", "Shaping",
)
ADJECTIVES = (
    "Emergent", "Robust", "Scalable", "Decentralized", "Collective", "Latent", "Hierarchical", "Open-Ended",
    "Adaptive", "Spontaneous", "Cooperative", "Strategic", "Interpretable", "Efficient", "Generalizable",
    "Self-Organizing", "Unsupervised", "Long-Horizon", "Compositional", "Social", "Implicit", "Sparse",
)
AGENTS = (
    "Language Models", "LLM Agents", "Robot Swarms", "Transformers", "Multi-Agent Systems", "Reinforcement Learners",
    "Neural Networks", "Generative Agents", "Vision-Language Models", "Small Models", "Agent Populations",
    "Reasoning Models", "Embodied Agents",
)
VERB_PHRASES = (
    "Cooperate", "Deceive", "Plan Ahead", "Use Tools", "Negotiate", "Reason About Others", "Self-Correct",
    "Communicate", "Form Conventions", "Specialize", "Explore", "Coordinate Without Communication",
    "Generalize Compositionally", "Keep Secrets", "Ask for Help", "Share Resources",
)
BENCH_NOUNS = ("Benchmark", "Testbed", "Simulation Platform", "Evaluation Suite", "Dataset", "Arena")

COLON_TITLES = (
    "{name}: {gerund} {adj} {phen} in {setting}",
    "{name}: {adj} {phen} for {setting} via {method}",
    "{name}: Towards {adj} {phen} with {method}",
    "{name}: A {bench} for {phen} in {setting}",
    "{name}: How {agents} Learn to {verb}",
    "{name}: {method} Elicits {phen} in {agents}",
    "{name}: {gerund} {phen} at Scale",
)
PLAIN_TITLES = (
    "{adj} {phen} in {setting}",
    "{adj} {phen} Emerges from {method}",
    "When Do {agents} Learn to {verb}?",
    "Scaling Laws for {phen} in {setting}",
    "Do {agents} {verb}? Evidence from {setting}",
    "{gerund} {adj} {phen} through {method}",
    "On the Emergence of {adj} {phen} in {agents}",
    "{phen} and {phen2} in {adj} {agents}",
)

# Abstract pools: lower case, mid-sentence forms.
A_PHEN = (*tuple(p.lower() for p in PHENOMENA), "role differentiation", "emergent communication")
A_SETTING = (
    "multi-agent reinforcement learning", "large language models", "societies of language-model agents",
    "web navigation agents", "embodied agents", "robot swarms", "open-ended environments", "multi-agent debate",
    "cellular automata", "social simulations", "text-based games", "Minecraft", "negotiation games",
    "economic simulations", "vision-language models", "small transformers", "mixture-of-experts models",
    "autonomous driving", "humanoid robots", "agent-based models of cities", "sequential social dilemmas",
    "coding agents", "artificial life", "neural cellular automata", "mathematical reasoning",
)
A_METHOD = (*tuple(m.lower() for m in METHODS), "a learned critic", "retrieval-augmented memory")
A_AGENTS = (
    "language models", "LLM-based agents", "robot swarms", "transformers", "multi-agent systems",
    "reinforcement learning agents", "neural networks", "generative agents", "vision-language models",
    "reasoning models", "populations of simple agents",
)
A_VERBS = (
    "cooperate", "deceive one another", "plan over long horizons", "use tools", "negotiate", "reason about others",
    "correct their own mistakes", "communicate", "form conventions", "specialize", "explore efficiently",
    "coordinate without explicit communication", "share scarce resources",
)
A_LIMITS = (
    "hand-designed reward functions", "expensive human annotations", "small-scale toy environments",
    "fixed populations of agents", "static benchmarks that saturate quickly", "single-agent evaluations",
    "proprietary models whose training data is unknown", "heuristics that do not transfer across tasks",
)
A_METRICS = (
    "task success", "win rate", "pass@1 accuracy", "success rate", "accuracy",
    "coordination score", "robustness to distribution shift",
)
A_COSTS = ("training compute", "inference cost", "the number of environment steps", "annotation effort", "memory use")
A_COMPONENTS = (
    "the shared memory module", "the curriculum schedule", "the intrinsic reward", "the communication channel",
    "the critic", "the diversity bonus", "the verification step", "the population size",
)
A_COUNTS = ("three", "four", "five", "six", "seven", "eight", "ten", "twelve", "fifteen", "twenty")

S_OPENING = (
    "{Phen} is a central question in the study of {setting}.",
    "Recent work has shown that {agents} can exhibit {phen} without being explicitly trained for it.",
    "Understanding how {phen} arises in {setting} remains an open problem with consequences for safety and design.",
    "As {agents} are deployed in increasingly open settings, behaviors such as {phen} and {phen2} appear that no designer specified.",
    "Collective behaviors like {phen} are ubiquitous in nature, yet reproducing them in {setting} has proven difficult.",
)
S_GAP = (
    "However, existing approaches rely on {limit}, which limits their applicability beyond narrow settings.",
    "Prior studies have mostly focused on {setting}, leaving the dynamics of {phen} in {setting2} largely unexplored.",
    "It remains unclear whether the reported gains reflect genuine {phen} or an artefact of {limit}.",
    "Most evaluations measure final performance only and cannot tell when or why {phen} appears during training.",
)
S_CONTRIB = (
    "In this work, we introduce {name}, a {adj} framework that uses {method} to study {phen} in {setting}.",
    "We propose {name}, which combines {method} with {method2} so that {agents} learn to {verb}.",
    "To address this, we present {name}, a simple recipe based on {method} that requires no {limit_short}.",
    "We introduce {name}, a {bench} in which {agents} must {verb} to succeed.",
)
S_DETAIL = (
    "The key idea is to reward agents only for outcomes that can be verified, so that {phen} is never rewarded directly.",
    "Our approach decomposes each episode into short stages, allowing agents to {verb} while keeping credit assignment tractable.",
    "Agents share a compact memory of past interactions that they read and write through natural language.",
    "We further introduce a diagnostic that tracks {phen} throughout training rather than only at convergence.",
    "Unlike previous methods, {name} scales to hundreds of agents on a single accelerator.",
    "The environment is procedurally generated, so that no two episodes share the same layout or partners.",
    "A lightweight {method} stage precedes training and provides a stable starting point for exploration.",
)
S_EXPERIMENT = (
    "We evaluate {name} on {count} benchmarks spanning {setting} and {setting2}.",
    "Experiments with populations of up to {agents_n} agents show that {phen} emerges after a sharp transition in training.",
    "We compare against {count} strong baselines, including recent methods based on {method}.",
    "We run controlled studies that vary model size, data and the number of agents independently.",
)
S_RESULT = (
    "{name} improves {metric} by {pct}% over the strongest baseline and reduces {cost} by a factor of {factor}.",
    "Across all settings, agents trained with {name} learn to {verb} and outperform baselines on {metric}.",
    "Our best model reaches {pct2}% {metric}, compared with {pct3}% for the previous state of the art.",
    "The gains are largest in the hardest environments, where baselines rarely learn to {verb}.",
)
S_ANALYSIS = (
    "Further analysis reveals that {phen} is preceded by a measurable change in the agents' internal representations.",
    "Ablations indicate that {component} is critical for {phen}, while {component2} matters less than expected.",
    "We also find that {phen} transfers to unseen partners and to environments with different dynamics.",
    "Surprisingly, larger models do not always show more {phen}; the effect depends strongly on the training data.",
    "Qualitative inspection shows agents that {verb} in ways reminiscent of human groups.",
)
S_CLOSING = (
    "Our results suggest that {phen} can be studied and steered with simple, reproducible tools.",
    "These findings shed light on the origins of {phen} and open new directions for research on {setting}.",
    "We discuss implications for the design and oversight of systems built from many interacting {agents}.",
    "Taken together, our results caution against reading {phen} from aggregate metrics alone.",
)
S_CODE = "Code, data and trained models are publicly available."

NOTES = (
    "A good entry point for {phen}: read it together with the other papers on {setting} under this topic.",
    "The appendix has the most useful material: the ablations on {component} are more informative than the headline numbers.",
    "Curators' pick: one of the clearest demonstrations of {phen} so far. The evaluation protocol is worth reusing.",
    "Results depend on {method}; compare with the follow-up work before citing the headline numbers.",
)

CONFERENCES = (
    ("NeurIPS", 10), ("ICLR", 10), ("ICML", 8), ("AAAI", 4), ("IJCAI", 2), ("ACL", 3), ("EMNLP", 3), ("NAACL", 2),
    ("Findings of ACL", 2), ("Findings of EMNLP", 2), ("CoRL", 2), ("RSS", 2), ("ICRA", 2), ("IROS", 1),
    ("AAMAS", 3), ("CVPR", 2), ("ICCV", 1), ("COLM", 2), ("ALIFE", 1), ("GECCO", 1),
)
JOURNALS = (
    "Nature Machine Intelligence", "Transactions on Machine Learning Research", "Artificial Life",
    "PNAS", "Nature Human Behaviour", "IEEE Robotics and Automation Letters", "Adaptive Behavior",
)
LAB_HANDLES = (
    "emergence-lab", "collective-ai", "open-agents", "swarm-lab", "mind-group", "agent-society", "nlp-lab",
    "rl-lab", "alife-group", "socialsim",
)
DOI_PREFIXES = ("10.1145", "10.1109", "10.1038", "10.1073", "10.1162", "10.1371")


@dataclass(frozen=True)
class SynthRecord:
    """One synthetic record: the id (file stem) and what ``format_record`` takes."""

    id: str
    fields: dict[str, object]
    abstract: str
    notes: str | None = None

    def text(self) -> str:
        return format_record(self.fields, self.abstract, self.notes)


@dataclass(frozen=True)
class SynthResult:
    out: Path
    records: int
    seconds: float



# --- generation ---------------------------------------------------------------------------


def _zipf_weights(n: int, skew: float) -> list[float]:
    return [1.0 / (rank + 1) ** skew for rank in range(n)]


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


class _Generator:
    """The state of one synthesis run; ``records`` does the work."""

    def __init__(self, n: int, topics: Sequence[str], tags: Sequence[str], seed: int, today: dt.date) -> None:
        if not topics or len(tags) < MIN_TAGS_PER_PAPER:
            raise SynthError("the vocabulary needs at least one topic and two tags")
        self.n = n
        self.topics = list(topics)
        self.tags = list(tags)
        self.today = today
        self.rng = random.Random(f"synth-{SYNTH_VERSION}-{seed}")
        rng = self.rng
        topic_order = self.topics[:]
        rng.shuffle(topic_order)
        self.topic_cum = _cumulative(_zipf_weights(len(topic_order), TOPIC_SKEW))
        self.topic_order = topic_order
        tag_order = self.tags[:]
        rng.shuffle(tag_order)
        base = dict(zip(tag_order, _zipf_weights(len(tag_order), TAG_SKEW), strict=True))
        self.tag_order = tag_order
        self.tag_cum: dict[str, list[float]] = {}
        for topic in self.topics:  # papers of a topic favour some tags, as real ones do
            favoured = set(rng.sample(tag_order, min(TOPIC_AFFINITY_TAGS, len(tag_order))))
            weights = [base[t] * (TOPIC_AFFINITY_BOOST if t in favoured else 1.0) for t in tag_order]
            self.tag_cum[topic] = _cumulative(weights)
        self.author_counts = list(AUTHOR_COUNT_WEIGHTS)
        self.author_count_cum = _cumulative(list(AUTHOR_COUNT_WEIGHTS.values()))
        self.tag_counts = list(TAG_COUNT_WEIGHTS)
        self.tag_count_cum = _cumulative(list(TAG_COUNT_WEIGHTS.values()))
        years = [y for y in YEAR_WEIGHTS if FIRST_YEAR <= y <= today.year]
        if not years:
            raise SynthError(f"--today {today} is before {FIRST_YEAR}")
        self.years = years
        self.year_cum = _cumulative([YEAR_WEIGHTS[y] for y in years])
        self.conf_names = [c for c, _ in CONFERENCES]
        self.conf_cum = _cumulative([w for _, w in CONFERENCES])
        self.ids: set[str] = set()
        self.titles: set[str] = set()
        self.arxiv_ids: set[str] = set()

    # -- small draws

    def _weighted(self, items: Sequence[T], cum: Sequence[float]) -> T:
        return self.rng.choices(items, cum_weights=cum)[0]

    def _name(self) -> str:
        rng = self.rng
        if rng.random() < 0.15:  # an acronym
            return "".join(rng.choice("ABCDEFGHIKLMNOPRSTUVW") for _ in range(rng.randint(3, 5)))
        first, second = rng.sample(NAME_PARTS, 2)
        return first + second + rng.choice(NAME_SUFFIXES)

    def _title(self, name: str, phen: str) -> str:
        rng = self.rng
        colon = rng.random() < 0.65
        template = rng.choice(COLON_TITLES if colon else PLAIN_TITLES)
        phen2 = rng.choice(PHENOMENA)
        if phen2 == phen:
            phen2 = PHENOMENA[(PHENOMENA.index(phen) + 1) % len(PHENOMENA)]
        return template.format(
            name=name, gerund=rng.choice(GERUNDS), adj=rng.choice(ADJECTIVES), phen=phen, phen2=phen2,
            setting=rng.choice(SETTINGS), method=rng.choice(METHODS), bench=rng.choice(BENCH_NOUNS),
            agents=rng.choice(AGENTS), verb=rng.choice(VERB_PHRASES),
        )

    def _authors(self) -> list[str]:
        rng = self.rng
        count = self._weighted(self.author_counts, self.author_count_cum)
        names: list[str] = []
        while len(names) < count:
            first = rng.choice(FIRST_NAMES)
            if rng.random() < 0.08:
                first += " " + rng.choice(MIDDLE_INITIALS) + "."
            name = f"{first} {rng.choice(LAST_NAMES)}"
            if name not in names:
                names.append(name)
        return names

    def _arxiv(self) -> tuple[int, int, str]:
        rng = self.rng
        while True:
            year = self._weighted(self.years, self.year_cum)
            last_month = self.today.month if year == self.today.year else 12
            month = rng.randint(1, last_month)
            number = rng.randint(1, 24_999)
            arxiv = f"{year % 100:02d}{month:02d}.{number:05d}"
            if arxiv not in self.arxiv_ids:
                self.arxiv_ids.add(arxiv)
                return year, month, arxiv

    def _day(self, year: int, month: int) -> dt.date:
        day = self.rng.randint(1, 28)
        return min(dt.date(year, month, day), self.today)

    def _added(self, published: dt.date) -> dt.date:
        start = max(FIRST_ADDED, published)
        if start >= self.today:
            return self.today
        return dt.date.fromordinal(self.rng.randint(start.toordinal(), self.today.toordinal()))

    def _venue(self, year: int) -> dict[str, object] | None:
        text = self._venue_text(year)
        return parse_venue_text(text) if text else None

    def _venue_text(self, year: int) -> str | None:
        rng = self.rng
        if rng.random() >= 0.38:
            return None
        venue_year = min(year + (1 if rng.random() < 0.5 else 0), self.today.year)
        if rng.random() < 0.12:
            journal = rng.choice(JOURNALS)
            if rng.random() < 0.5:
                return f"{journal}, vol. {rng.randint(1, 40)}, no. {rng.randint(1, 12)}, {venue_year}"
            return f"{journal} {venue_year}"
        return f"{self._weighted(self.conf_names, self.conf_cum)} {venue_year}"

    def _links(self, name: str, authors: Sequence[str]) -> dict[str, str]:
        rng = self.rng
        if rng.random() >= 0.30:
            return {}
        repo = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "code"
        surname = re.sub(r"[^a-z0-9]+", "", authors[0].split()[-1].lower()) or "lab"
        owner = rng.choice((surname, f"{surname}-lab", f"{surname}{rng.randint(1, 99)}", rng.choice(LAB_HANDLES)))
        links: dict[str, str] = {}
        roll = rng.random()
        if roll < 0.8:
            links["code"] = f"https://github.com/{owner}/{repo}"
        if roll >= 0.55:
            links["project"] = (f"https://{repo}.github.io" if rng.random() < 0.6
                                else f"https://{owner}.github.io/{repo}")
        return links

    def _abstract(self, name: str, phen: str, has_code: bool) -> str:
        rng = self.rng
        phen2 = rng.choice(A_PHEN)
        if phen2 == phen:
            phen2 = A_PHEN[(A_PHEN.index(phen) + 1) % len(A_PHEN)]
        setting, setting2 = rng.sample(A_SETTING, 2)
        method, method2 = rng.sample(A_METHOD, 2)
        component, component2 = rng.sample(A_COMPONENTS, 2)
        pct3 = rng.randint(20, 70)
        slots = {
            "name": name, "phen": phen, "Phen": phen[0].upper() + phen[1:], "phen2": phen2, "setting": setting,
            "setting2": setting2, "method": method, "method2": method2, "agents": rng.choice(A_AGENTS),
            "verb": rng.choice(A_VERBS), "limit": rng.choice(A_LIMITS),
            "limit_short": rng.choice(("reward engineering", "human labels", "extra supervision")),
            "adj": rng.choice(ADJECTIVES).lower(), "bench": rng.choice(BENCH_NOUNS).lower(),
            "count": rng.choice(A_COUNTS), "agents_n": str(rng.choice((16, 32, 64, 100, 128, 256, 500, 1000))),
            "metric": rng.choice(A_METRICS), "cost": rng.choice(A_COSTS), "pct": str(rng.randint(3, 45)),
            "factor": rng.choice(("two", "three", "four", "five")), "pct2": str(pct3 + rng.randint(4, 25)),
            "pct3": str(pct3), "component": component, "component2": component2,
        }
        sections: list[list[str]] = [
            [rng.choice(S_OPENING)], [rng.choice(S_GAP)], [rng.choice(S_CONTRIB)], [rng.choice(S_DETAIL)],
            [rng.choice(S_EXPERIMENT)], [rng.choice(S_RESULT)], [], [rng.choice(S_CLOSING)],
        ]
        extra = {3: S_DETAIL, 4: S_EXPERIMENT, 5: S_RESULT, 6: S_ANALYSIS}
        if has_code:
            sections[7].append(S_CODE)
        filled = [[s.format(**slots) for s in section] for section in sections]
        length = sum(len(s) + 1 for section in filled for s in section) - 1
        target = rng.randint(ABSTRACT_MIN + 50, ABSTRACT_MAX - 80)
        for _ in range(24):
            if length >= target:
                break
            where = rng.choice(tuple(extra))
            sentence = rng.choice(extra[where]).format(**slots)
            if sentence in filled[where] or length + 1 + len(sentence) > ABSTRACT_MAX:
                continue
            filled[where].append(sentence)
            length += 1 + len(sentence)
        return " ".join(s for section in filled for s in section)

    def _notes(self) -> str | None:
        rng = self.rng
        if rng.random() >= 0.05:
            return None
        return rng.choice(NOTES).format(
            phen=rng.choice(A_PHEN), setting=rng.choice(A_SETTING), component=rng.choice(A_COMPONENTS),
            method=rng.choice(A_METHOD))

    def _topics(self) -> list[str]:
        first = self._weighted(self.topic_order, self.topic_cum)
        chosen = [first]
        if len(self.topics) > 1 and self.rng.random() < 0.1:
            while len(chosen) < 2:
                other = self._weighted(self.topic_order, self.topic_cum)
                if other not in chosen:
                    chosen.append(other)
        return chosen

    def _tags(self, topic: str) -> list[str]:
        count = min(self._weighted(self.tag_counts, self.tag_count_cum), len(self.tags))
        cum = self.tag_cum[topic]
        chosen: list[str] = []
        while len(chosen) < count:
            tag = self._weighted(self.tag_order, cum)
            if tag not in chosen:
                chosen.append(tag)
        return chosen

    def _identity(self, year: int, phen: str) -> tuple[str, str, str]:
        """A fresh (name, title, id): the title unique after normalisation, the id unique."""
        for _ in range(1000):
            name = self._name()
            title = self._title(name, phen)
            key = " ".join(re.sub(r"[^0-9a-z]+", " ", title.lower()).split())
            if key in self.titles:
                continue
            try:
                record_id = derive_id(title, year, self.ids)
            except ValueError:  # 26 records share the id already: draw another title
                continue
            self.titles.add(key)
            self.ids.add(record_id)
            return name, title, record_id
        raise SynthError("could not draw a unique title; the word pools are too small for this N")

    # -- coverage

    def _cover_topics(self, topic_lists: list[list[str]]) -> None:
        if self.n < len(self.topics):
            return
        counts = Counter(t for topics in topic_lists for t in topics)
        for topic in self.topics:
            while counts[topic] < 1:
                j = self.rng.randrange(self.n)
                current = topic_lists[j]
                if topic in current:
                    continue
                if len(current) < MAX_TOPICS:
                    current.append(topic)
                elif counts[current[1]] > 1:
                    counts[current[1]] -= 1
                    current[1] = topic
                else:
                    continue
                counts[topic] += 1

    def _cover_tags(self, tag_lists: list[list[str]]) -> None:
        need = min(MIN_PAPERS_PER_TAG, (self.n * 3) // len(self.tags))
        if need < 1:
            return
        counts = Counter(t for tags in tag_lists for t in tags)
        for tag in self.tags:
            attempts = 0
            while counts[tag] < need and attempts < 100 * self.n:
                attempts += 1
                current = tag_lists[self.rng.randrange(self.n)]
                if tag in current:
                    continue
                if len(current) < MAX_TAGS:
                    current.append(tag)
                else:
                    spare = next((i for i, t in enumerate(current) if counts[t] > need), None)
                    if spare is None:
                        continue
                    counts[current[spare]] -= 1
                    current[spare] = tag
                counts[tag] += 1

    # -- the run

    def records(self) -> list[SynthRecord]:
        rows: list[tuple[str, dict[str, object], str, str | None]] = []
        topic_lists: list[list[str]] = []
        for _ in range(self.n):
            year, month, arxiv = self._arxiv()
            published = self._day(year, month)
            phen = self.rng.choice(PHENOMENA)  # what the paper is about: in the title and the abstract
            name, title, record_id = self._identity(year, phen)
            authors = self._authors()
            venue = self._venue(year)
            links = self._links(name, authors)
            doi = None
            if self.rng.random() < 0.08:
                if self.rng.random() < 0.3:
                    doi = f"10.48550/arXiv.{arxiv}"
                else:
                    doi = f"{self.rng.choice(DOI_PREFIXES)}/{arxiv.replace('.', '')}.{self.rng.randint(100, 999)}"
            fields: dict[str, object] = {
                "title": title, "authors": authors, "year": year,
                "date": published if self.rng.random() < 0.85 else None, "arxiv": arxiv, "doi": doi,
                "venue": venue, "links": links, "added": self._added(published),
            }
            abstract = self._abstract(name, phen.lower(), "code" in links)
            rows.append((record_id, fields, abstract, self._notes()))
            topic_lists.append(self._topics())
        self._cover_topics(topic_lists)
        tag_lists = [self._tags(topics[0]) for topics in topic_lists]
        self._cover_tags(tag_lists)
        records = []
        for (record_id, fields, abstract, notes), topics, tags in zip(rows, topic_lists, tag_lists, strict=True):
            fields["topics"] = topics
            fields["tags"] = tags
            records.append(SynthRecord(record_id, fields, abstract, notes))
        return records


def synthesize(n: int, topics: Sequence[str], tags: Sequence[str], seed: int = DEFAULT_SEED,
               today: dt.date = DEFAULT_TODAY) -> list[SynthRecord]:
    """N synthetic records over this vocabulary; pure and deterministic."""
    if n < 0:
        raise SynthError("N must be zero or more")
    return _Generator(n, topics, tags, seed, today).records()


# --- writing ----------------------------------------------------------------------------------


def stamp_for(n: int, seed: int, today: dt.date, vocabulary: bytes) -> dict[str, object]:
    """What the corpus was made from: a benchmark reuses a folder whose stamp matches."""
    return {"generator": "synth", "version": SYNTH_VERSION, "n": n, "seed": seed, "today": today.isoformat(),
            "vocabulary": hashlib.sha256(vocabulary).hexdigest()[:16]}


def read_stamp(out: Path) -> dict[str, object] | None:
    try:
        data = json.loads((out / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _clear(out: Path, force: bool) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise SynthError(f"{out} exists and is not a folder")
    names = [e.name for e in os.scandir(out)]
    if names and read_stamp(out) is None and not force:
        raise SynthError(f"{out} is not empty and was not made by synth; pass --force to replace its records")
    for entry_name in names:
        if entry_name.endswith(".md") or entry_name in (*VOCABULARY_FILES, STAMP):
            (out / entry_name).unlink()


def write_corpus(out: Path, n: int, seed: int = DEFAULT_SEED, today: dt.date = DEFAULT_TODAY,
                 vocabulary_dir: Path = Path("papers"), force: bool = False) -> SynthResult:
    """Write N synthetic records and a copy of the vocabulary into ``out``."""
    started = time.perf_counter()
    vocab, problems = load_vocabulary(vocabulary_dir)
    errors = [p for p in problems if p.is_error]
    if errors or not vocab.topics or not vocab.tags:
        detail = errors[0].text() if errors else "no topics or tags"
        raise SynthError(f"cannot read the vocabulary in {vocabulary_dir}: {detail}")
    vocab_bytes = {name: (vocabulary_dir / name).read_bytes() for name in VOCABULARY_FILES}
    records = synthesize(n, list(vocab.topics), list(vocab.tags), seed, today)
    _clear(out, force)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in vocab_bytes.items():
        (out / name).write_bytes(data)
    root = str(out)
    for record in records:
        with open(os.path.join(root, record.id + ".md"), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(record.text())
    stamp = stamp_for(n, seed, today, b"".join(vocab_bytes.values()))
    (out / STAMP).write_text(json.dumps(stamp, sort_keys=True) + "\n", encoding="utf-8")
    return SynthResult(out, len(records), time.perf_counter() - started)
