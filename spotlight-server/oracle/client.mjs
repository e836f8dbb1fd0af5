// The official OpenAI JavaScript client against spotlight serve (OpenAiClientTest runs this):
//
//   node client.mjs BASE_URL API_KEY REQUEST_JSON
//
// REQUEST_JSON: {"embedModel", "texts": [...], "completionModel"?, "prompt"?, "maxTokens"?, "chatModel"?, "messages"?}.
// Prints one JSON object: the vectors as the client returns them with encoding_format "float" and with its
// default (base64, which the client decodes itself), when a completion model is given the text of a greedy
// completion, and when a chat model is given the reply to the messages of a greedy chat completion, each plain
// and streamed. Any failure exits non-zero with the client's message.
import OpenAI from 'openai';

const [baseURL, apiKey, requestJson] = process.argv.slice(2);
const request = JSON.parse(requestJson);
const client = new OpenAI({baseURL: baseURL + '/v1', apiKey, maxRetries: 0, timeout: 60000});

try {
  const out = {};
  const asFloat = await client.embeddings.create({model: request.embedModel, input: request.texts, encoding_format: 'float'});
  out.float = asFloat.data.map((d) => d.embedding);
  out.usage = asFloat.usage;
  const byDefault = await client.embeddings.create({model: request.embedModel, input: request.texts});
  out.base64 = byDefault.data.map((d) => Array.from(d.embedding));
  if (request.completionModel) {
    const params = {model: request.completionModel, prompt: request.prompt, max_tokens: request.maxTokens, temperature: 0};
    const plain = await client.completions.create(params);
    out.completion = plain.choices[0].text;
    out.finishReason = plain.choices[0].finish_reason;
    let streamed = '';
    let chunks = 0;
    for await (const chunk of await client.completions.create({...params, stream: true})) {
      streamed += chunk.choices.length ? chunk.choices[0].text : '';
      chunks++;
    }
    out.streamed = streamed;
    out.chunks = chunks;
  }
  if (request.chatModel) {
    const params = {model: request.chatModel, messages: request.messages, max_tokens: request.maxTokens, temperature: 0};
    const plain = await client.chat.completions.create(params);
    out.chat = plain.choices[0].message.content;
    out.chatRole = plain.choices[0].message.role;
    out.chatFinishReason = plain.choices[0].finish_reason;
    out.chatPromptTokens = plain.usage.prompt_tokens;
    let streamed = '';
    let chunks = 0;
    for await (const chunk of await client.chat.completions.create({...params, stream: true})) {
      streamed += chunk.choices.length && chunk.choices[0].delta.content ? chunk.choices[0].delta.content : '';
      chunks++;
    }
    out.chatStreamed = streamed;
    out.chatChunks = chunks;
  }
  console.log(JSON.stringify(out));
} catch (e) {
  console.error(`openai client: ${e.status ?? ''} ${e.message}`);
  process.exit(1);
}
