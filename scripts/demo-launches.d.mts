export declare const DEMO_SETUP_ARGS: string[];
export declare const DEMO_LAUNCHES: { profile: string; port: number; args: string[] }[];
