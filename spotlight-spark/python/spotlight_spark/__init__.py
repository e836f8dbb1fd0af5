"""PySpark wrappers of Spotlight's Spark ML stages (the JVM classes in dev.spotlight.spark).

Each class holds a JVM stage and forwards its params; the work runs in the executors' JVMs, so Python
sees only the resulting columns. The jar spotlight-spark-VERSION-all.jar (and, for a built-in model
name, that model's jar) must be on the driver's and executors' classpath, e.g. with spark-submit's
``--jars``::

    from spotlight_spark import SpotlightEmbedder, SpotlightGenerator
    embedded = SpotlightEmbedder(inputCol="text", outputCol="embedding").transform(df)
    stories = SpotlightGenerator(model="/models/stories260K", maxNewTokens=40).transform(prompts)

Pipelines holding these stages save and load from Python, Scala or Java alike.
"""

from pyspark import keyword_only
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.util import JavaMLReadable, JavaMLReader, JavaMLWritable
from pyspark.ml.wrapper import JavaTransformer

__all__ = ["SpotlightTokenizer", "SpotlightEmbedder", "SpotlightAttentionSummary", "SpotlightTokenClassifier",
           "SpotlightTextClassifier", "SpotlightQuestionAnswerer", "SpotlightZeroShotClassifier", "SpotlightFillMask",
           "SpotlightReranker", "SpotlightGenerator"]

_JAVA_PACKAGE = "dev.spotlight.spark"


class _SpotlightReader(JavaMLReader):
    """Loads a saved stage through its JVM class (PySpark would look under org.apache.spark)."""

    @classmethod
    def _java_loader_class(cls, clazz):
        return _JAVA_PACKAGE + "." + clazz.__name__


class _SpotlightStage(JavaTransformer, JavaMLReadable, JavaMLWritable):
    """The params every stage shares; names, meanings and defaults are the JVM stage's."""

    inputCol = Param(Params._dummy(), "inputCol", "the text column (string) the stage reads", TypeConverters.toString)
    outputCol = Param(Params._dummy(), "outputCol", "the column this stage adds", TypeConverters.toString)
    model = Param(Params._dummy(), "model", "a built-in model name, a path every executor can read, "
                  "or sparkfiles:NAME for a file or folder shipped with the job", TypeConverters.toString)
    batchSize = Param(Params._dummy(), "batchSize", "rows per batch", TypeConverters.toInt)
    handleInvalid = Param(Params._dummy(), "handleInvalid", "'error' or 'null'", TypeConverters.toString)
    errorCol = Param(Params._dummy(), "errorCol", "a column for the reason a row is invalid; empty = none",
                     TypeConverters.toString)
    threadsPerTask = Param(Params._dummy(), "threadsPerTask", "engine threads per task; 0 = spark.task.cpus",
                           TypeConverters.toInt)

    def __init__(self):
        super().__init__()
        self._java_obj = self._new_java_obj(_JAVA_PACKAGE + "." + type(self).__name__, self.uid)
        # The JVM stage holds the defaults; copy them so Python's getters agree before anything is set
        # (a Java String[] comes back as a Py4J array: made a list). Params without a default stay unset.
        defaults = {}
        for p in self.params:
            java_param = self._java_obj.getParam(p.name)
            if self._java_obj.hasDefault(java_param):
                value = self._java_obj.getOrDefault(java_param)
                defaults[p.name] = list(value) if p.typeConverter is TypeConverters.toListString else value
        self._setDefault(**defaults)

    @classmethod
    def read(cls):
        return _SpotlightReader(cls)

    def setParams(self, **kwargs):
        return self._set(**kwargs)


class _EncoderStage(_SpotlightStage):
    """The stages that tokenize their text themselves: a length limit and what an over-long text does."""

    maxLength = Param(Params._dummy(), "maxLength", "tokens per text; 0 = the model's own limit", TypeConverters.toInt)
    truncate = Param(Params._dummy(), "truncate", "cut an over-long text (True) or treat it as invalid (False)",
                     TypeConverters.toBoolean)


class SpotlightTokenizer(_EncoderStage):
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


class SpotlightEmbedder(_EncoderStage):
    """Text to a sentence embedding, the same bits as Spotlight.load(model).embed(texts)."""

    normalization = Param(Params._dummy(), "normalization", "'model', 'l2' or 'none'", TypeConverters.toString)
    vectorType = Param(Params._dummy(), "vectorType", "'vector' or 'array'", TypeConverters.toString)

    @keyword_only
    def __init__(self, **kwargs):
        super().__init__()
        self.setParams(**self._input_kwargs)


class SpotlightAttentionSummary(_EncoderStage):
    """Text to a struct of tokens, each token's rollout share of the pooled output, and head statistics
    (entropy, cls, sep, self, previous) per layer and head."""

    @keyword_only
    def __init__(self, **kwargs):
        super().__init__()
        self.setParams(**self._input_kwargs)


class SpotlightTokenClassifier(_SpotlightStage):
    """Text to named entities (token classification) as the library's TokenClassification gives them: an array of
    structs with transformers' keys (entity, score, index, word, start, end; entity_group, ... when aggregated)."""

    aggregationStrategy = Param(Params._dummy(), "aggregationStrategy", "none, simple, first, average or max",
                                TypeConverters.toString)
    ignoreLabels = Param(Params._dummy(), "ignoreLabels", "labels left out of the result", TypeConverters.toListString)

    @keyword_only
    def __init__(self, **kwargs):
        super().__init__()
        self.setParams(**self._input_kwargs)


class SpotlightTextClassifier(_SpotlightStage):
    """Text (and pair text) to an array of label/score structs, best first, as the library's TextClassification."""

    pairCol = Param(Params._dummy(), "pairCol", "the pair text column; empty = none", TypeConverters.toString)
    functionToApply = Param(Params._dummy(), "functionToApply", "default, sigmoid, softmax or none",
                            TypeConverters.toString)
    topK = Param(Params._dummy(), "topK", "labels per row; 0 = all", TypeConverters.toInt)

    @keyword_only
    def __init__(self, **kwargs):
        super().__init__()
        self.setParams(**self._input_kwargs)


class SpotlightQuestionAnswerer(_SpotlightStage):
    """Question (inputCol) and context (contextCol) to an array of score/start/end/answer structs, best first."""

    contextCol = Param(Params._dummy(), "contextCol", "the context column", TypeConverters.toString)
    topK = Param(Params._dummy(), "topK", "answers per row", TypeConverters.toInt)
    docStride = Param(Params._dummy(), "docStride", "tokens a window repeats; -1 = the pipeline's default",
                      TypeConverters.toInt)
    maxAnswerLen = Param(Params._dummy(), "maxAnswerLen", "the longest answer in tokens", TypeConverters.toInt)
    maxSeqLen = Param(Params._dummy(), "maxSeqLen", "tokens per window; -1 = the pipeline's default",
                      TypeConverters.toInt)
    handleImpossibleAnswer = Param(Params._dummy(), "handleImpossibleAnswer", "also offer the empty answer",
                                   TypeConverters.toBoolean)
    alignToWords = Param(Params._dummy(), "alignToWords", "widen answers to whole words", TypeConverters.toBoolean)

    @keyword_only
    def __init__(self, **kwargs):
        super().__init__()
        self.setParams(**self._input_kwargs)


class SpotlightZeroShotClassifier(_SpotlightStage):
    """Text to a struct of labels (best first) and scores, from candidateLabels or each row's labelsCol."""

    candidateLabels = Param(Params._dummy(), "candidateLabels", "the labels of every row", TypeConverters.toListString)
    labelsCol = Param(Params._dummy(), "labelsCol", "a column of each row's labels; empty = candidateLabels",
                      TypeConverters.toString)
    hypothesisTemplate = Param(Params._dummy(), "hypothesisTemplate", "the hypothesis, {} where the label goes",
                               TypeConverters.toString)
    multiLabel = Param(Params._dummy(), "multiLabel", "score each label alone", TypeConverters.toBoolean)

    @keyword_only
    def __init__(self, **kwargs):
        super().__init__()
        self.setParams(**self._input_kwargs)


class SpotlightFillMask(_SpotlightStage):
    """Text with mask tokens to, per mask, an array of score/token/token_str/sequence structs, best first."""

    topK = Param(Params._dummy(), "topK", "proposals per mask", TypeConverters.toInt)
    targets = Param(Params._dummy(), "targets", "the only words proposed; empty = all", TypeConverters.toListString)

    @keyword_only
    def __init__(self, **kwargs):
        super().__init__()
        self.setParams(**self._input_kwargs)


class SpotlightReranker(_SpotlightStage):
    """Query (inputCol) and passage (passageCol) to the cross-encoder's relevance score (double)."""

    passageCol = Param(Params._dummy(), "passageCol", "the passage column", TypeConverters.toString)

    @keyword_only
    def __init__(self, **kwargs):
        super().__init__()
        self.setParams(**self._input_kwargs)


class SpotlightGenerator(_SpotlightStage):
    """Prompt to generated text (or, with details, a struct with finish_reason and token counts), as the library's
    CausalLM.generate gives it, whatever the partitioning; unset generation params are the model's."""

    maxNewTokens = Param(Params._dummy(), "maxNewTokens", "at most this many generated tokens", TypeConverters.toInt)
    temperature = Param(Params._dummy(), "temperature", "0 = greedy, above 0 samples", TypeConverters.toFloat)
    topK = Param(Params._dummy(), "topK", "sample among the k most likely tokens; 0 = off", TypeConverters.toInt)
    topP = Param(Params._dummy(), "topP", "sample among the tokens holding probability p; 1 = off",
                 TypeConverters.toFloat)
    seed = Param(Params._dummy(), "seed", "the seed of every row's random stream", TypeConverters.toInt)
    stopStrings = Param(Params._dummy(), "stopStrings", "text that ends a row's generation", TypeConverters.toListString)
    keepStopString = Param(Params._dummy(), "keepStopString", "keep the stop string in the text",
                           TypeConverters.toBoolean)
    chatTemplate = Param(Params._dummy(), "chatTemplate", "render each prompt as a user message by the chat template",
                         TypeConverters.toBoolean)
    systemMessage = Param(Params._dummy(), "systemMessage", "with chatTemplate: a system message; empty = none",
                          TypeConverters.toString)
    details = Param(Params._dummy(), "details", "a struct with finish_reason and token counts instead of the text",
                    TypeConverters.toBoolean)

    @keyword_only
    def __init__(self, **kwargs):
        super().__init__()
        self.setParams(**self._input_kwargs)
