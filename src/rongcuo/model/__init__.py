"""The data the rest of rongcuo passes around, with no solver in it: the case
model (``case``), case files on disk (``files``), what an evaluation returns
(``result``), the measure's text (``measure``) and its fact vocabulary
(``vocabulary``)."""
