/**
 * Probot's first-run setup creates a smee.io channel to forward webhooks to this machine. Its
 * default downloads smee-client with npx, which hangs without network. This creates the channel
 * with one bounded request instead: online it works as before, offline it fails within seconds
 * and Probot carries on with a warning.
 */
export class SmeeChannelClient {
  static async createChannel(): Promise<string> {
    const response = await fetch("https://smee.io/new", {
      method: "HEAD",
      redirect: "manual",
      signal: AbortSignal.timeout(5_000),
    });
    const location = response.headers.get("location");
    if (!location) throw new Error("smee.io did not return a channel");
    return location;
  }
}
