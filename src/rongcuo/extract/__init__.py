"""Fact extraction: Chinese case narratives in, proposed case files out.

``source`` reads a narrative (UTF-8 or GB18030), ``segment`` cuts it into
sentences, clauses and words, ``lexicon`` holds the phrasings (data, in
extract/lexicon.yaml), ``dates`` finds and keys the dates, ``propose`` turns
mentions into facts with their evidence, ``evaluate`` scores a labelled set.
Nothing here talks to clingo: an extracted case is an ordinary case record.
"""

from .casefile import case_record, dump, to_case
from .lexicon import Lexicon
from .propose import Proposal, propose

__all__ = ["Lexicon", "Proposal", "case_record", "dump", "propose", "to_case"]
