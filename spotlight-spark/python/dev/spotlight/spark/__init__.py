"""Where PySpark looks for the Python class of a JVM stage it reloads (PipelineModel.load maps the JVM
class dev.spotlight.spark.X to the Python module dev.spotlight.spark): the same classes as spotlight_spark."""

from spotlight_spark import (  # noqa: F401
    SpotlightAttentionSummary, SpotlightEmbedder, SpotlightFillMask, SpotlightGenerator, SpotlightQuestionAnswerer,
    SpotlightReranker, SpotlightTextClassifier, SpotlightTokenClassifier, SpotlightTokenizer,
    SpotlightZeroShotClassifier)
