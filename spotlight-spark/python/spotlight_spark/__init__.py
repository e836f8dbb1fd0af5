"""PySpark wrappers of Spotlight's Spark ML stages (the JVM classes in dev.spotlight.spark).

Each class holds a JVM stage and forwards its params; the work runs in the executors' JVMs, so Python
sees only the resulting columns. The jar spotlight-spark-VERSION-all.jar (and, for a built-in model
name, that model's jar) must be on the driver's and executors' classpath, e.g. with spark-submit's
``--jars``::

    from spotlight_spark import SpotlightEmbedder
    embedded = SpotlightEmbedder(inputCol="text", outputCol="embedding").transform(df)

Pipelines holding these stages save and load from Python, Scala or Java alike.
"""

from pyspark import keyword_only
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.util import JavaMLReadable, JavaMLReader, JavaMLWritable
from pyspark.ml.wrapper import JavaTransformer

__all__ = ["SpotlightTokenizer", "SpotlightEmbedder", "SpotlightAttentionSummary"]

_JAVA_PACKAGE = "dev.spotlight.spark"


class _SpotlightReader(JavaMLReader):
    """Loads a saved stage through its JVM class (PySpark would look under org.apache.spark)."""

    @classmethod
    def _java_loader_class(cls, clazz):
        return _JAVA_PACKAGE + "." + clazz.__name__


class _SpotlightStage(JavaTransformer, JavaMLReadable, JavaMLWritable):
    """The params every stage shares; names, meanings and defaults are the JVM stage's."""

    inputCol = Param(Params._dummy(), "inputCol", "the text column (string)", TypeConverters.toString)
    outputCol = Param(Params._dummy(), "outputCol", "the column this stage adds", TypeConverters.toString)
    model = Param(Params._dummy(), "model", "a built-in model name, a path every executor can read, "
                  "or sparkfiles:NAME for a file or folder shipped with the job", TypeConverters.toString)
    batchSize = Param(Params._dummy(), "batchSize", "texts per forward pass", TypeConverters.toInt)
    maxLength = Param(Params._dummy(), "maxLength", "tokens per text; 0 = the model's own limit", TypeConverters.toInt)
    truncate = Param(Params._dummy(), "truncate", "cut an over-long text (True) or treat it as invalid (False)",
                     TypeConverters.toBoolean)
    handleInvalid = Param(Params._dummy(), "handleInvalid", "'error' or 'null'", TypeConverters.toString)
    errorCol = Param(Params._dummy(), "errorCol", "a column for the reason a row is invalid; empty = none",
                     TypeConverters.toString)
    threadsPerTask = Param(Params._dummy(), "threadsPerTask", "engine threads per task; 0 = spark.task.cpus",
                           TypeConverters.toInt)

    def __init__(self):
        super().__init__()
        self._java_obj = self._new_java_obj(_JAVA_PACKAGE + "." + type(self).__name__, self.uid)
        # The JVM stage holds the defaults; copy them so Python's getters agree before anything is set.
        self._setDefault(**{p.name: self._java_obj.getOrDefault(self._java_obj.getParam(p.name))
                            for p in self.params if self._java_obj.hasDefault(self._java_obj.getParam(p.name))})

    @classmethod
    def read(cls):
        return _SpotlightReader(cls)

    def setParams(self, **kwargs):
        return self._set(**kwargs)


class SpotlightTokenizer(_SpotlightStage):
    """Text (and pair text) to a struct of input_ids, attention_mask, token_type_ids, offsets, tokens,
    special_tokens_mask: each row exactly what the library's Tokenizer.encodeBatch gives for it."""

    pairCol = Param(Params._dummy(), "pairCol", "the pair text column; empty = none", TypeConverters.toString)
    padding = Param(Params._dummy(), "padding", "'tokenizer', 'none' or 'max_length'", TypeConverters.toString)
    paddingSide = Param(Params._dummy(), "paddingSide", "'left', 'right' or '' (the file's)", TypeConverters.toString)
    addSpecialTokens = Param(Params._dummy(), "addSpecialTokens", "add [CLS], [SEP] and the like",
                             TypeConverters.toBoolean)

    @keyword_only
    def __init__(self, **kwargs):
        super().__init__()
        self.setParams(**self._input_kwargs)


class SpotlightEmbedder(_SpotlightStage):
    """Text to a sentence embedding, the same bits as Spotlight.load(model).embed(texts)."""

    normalization = Param(Params._dummy(), "normalization", "'model', 'l2' or 'none'", TypeConverters.toString)
    vectorType = Param(Params._dummy(), "vectorType", "'vector' or 'array'", TypeConverters.toString)

    @keyword_only
    def __init__(self, **kwargs):
        super().__init__()
        self.setParams(**self._input_kwargs)


class SpotlightAttentionSummary(_SpotlightStage):
    """Text to a struct of tokens, each token's rollout share of the pooled output, and head statistics
    (entropy, cls, sep, self, previous) per layer and head."""

    @keyword_only
    def __init__(self, **kwargs):
        super().__init__()
        self.setParams(**self._input_kwargs)
