declare module 'autocannon' {
  interface Result {
    latency: { p50: number; p90: number; p97_5: number; p99: number; average: number };
    requests: { average: number; total: number };
    non2xx: number;
    errors: number;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    requests?: { method?: string; path?: string; headers?: Record<string, string>; body?: string; setupRequest?: (req: any) => any }[];
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
