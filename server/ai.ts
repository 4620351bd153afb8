import type { Logger } from "pino";
import { OpenAiCompatibleProvider } from "../resolvers/_shared/ai/openai-compatible";
import { BuiltinAiProvider, type AiProvider } from "../resolvers/_shared/ai/provider";
import type { Config } from "./config";

/** The AI provider for this process, from configuration. */
export function createAiProvider(config: Config, logger: Logger): AiProvider {
  if (config.ai.provider === "openai" && config.ai.baseUrl) {
    return new OpenAiCompatibleProvider({ baseUrl: config.ai.baseUrl, apiKey: config.ai.apiKey, model: config.ai.model, timeoutMs: config.ai.timeoutMs, logger });
  }
  return new BuiltinAiProvider();
}
