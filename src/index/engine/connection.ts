/** Connections to a SphinxQL engine (mysql2) with bounded waits, and how its shards are found. */
import type mysql from 'mysql2/promise';
import { sphinxqlPortOfAgent } from './config.js';
import { formatAddress, shardTable, type EngineAddress, type EngineUrl } from './url.js';

export type EngineConnection = mysql.Connection;

/**
 * Milliseconds to wait for a TCP connection to a searchd (a searchd that is down refuses at once; this bounds an
 * unreachable host, and leaves room for a busy machine).
 */
export const CONNECT_TIMEOUT_MS = 10_000;

/** The engine could not be reached or refused a statement; the message (Chinese) names the address. */
export class EngineError extends Error {
  constructor(message: string, readonly address?: string) {
    super(message);
    this.name = 'EngineError';
  }
}

export async function connectEngine(address: EngineAddress): Promise<EngineConnection> {
  // Loaded on the first connection: a reindex without an engine never loads its many modules.
  let createConnection: typeof import('mysql2/promise').createConnection;
  try {
    ({ createConnection } = await import('mysql2/promise'));
  } catch (error) {
    throw new EngineError(`无法加载 mysql2 模块（连接引擎所需）：${reason(error)}；请重新安装依赖（npm install）`, formatAddress(address));
  }
  try {
    const connection = await createConnection({
      host: address.host,
      port: address.port,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Document ids are 63-bit.
      supportBigNumbers: true,
      bigNumberStrings: true,
      multipleStatements: true,
    });
    // An idle connection the server closed must not crash the process; the next query reports it instead.
    connection.on('error', () => {});
    return connection;
  } catch (error) {
    throw new EngineError(`无法连接引擎 ${formatAddress(address)}：${reason(error)}`, formatAddress(address));
  }
}

export function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e?.message || e?.code || String(error);
}

export interface ShardAddress extends EngineAddress {
  /** 0-based shard number. */
  index: number;
  /** Its real-time table. */
  table: string;
  /** `host:agentPort:table` as the distributed table names it in warnings (undefined when shards= gave it). */
  agent?: string;
}

/**
 * The shards' SphinxQL listeners: from the URL's `shards=` list, else from the distributed table's agents
 * (`DESCRIBE` lists `host:port:table`; `engine init`'s layout puts each shard's SphinxQL listener at its agent port
 * minus the number of shards).
 */
export async function resolveShards(engine: EngineUrl, distributed: EngineConnection): Promise<ShardAddress[]> {
  const agents = await describeAgents(engine, distributed);
  if (engine.shards) {
    return engine.shards.map((address, index) => ({
      ...address,
      index,
      table: shardTable(engine.table, index),
      agent: agents.find((agent) => agent.table === shardTable(engine.table, index))?.text,
    }));
  }
  return agents.map((agent, index) => {
    const expected = shardTable(engine.table, index);
    if (agent.table !== expected) {
      throw new EngineError(`引擎表 ${engine.table} 的第 ${index + 1} 个分片是 ${agent.text}，应为 ${expected}；请在引擎地址中用 ?shards=主机:端口,… 列出各分片的 SphinxQL 地址`);
    }
    return { host: agent.host, port: sphinxqlPortOfAgent(agent.port, agents.length), index, table: agent.table, agent: agent.text };
  });
}

interface Agent {
  text: string;
  host: string;
  port: number;
  table: string;
}

async function describeAgents(engine: EngineUrl, distributed: EngineConnection): Promise<Agent[]> {
  let rows: Record<string, string>[];
  try {
    [rows] = (await distributed.query(`DESCRIBE ${engine.table}`)) as unknown as [Record<string, string>[]];
  } catch (error) {
    throw new EngineError(`引擎 ${formatAddress(engine)} 上没有表 ${engine.table}：${reason(error)}`, formatAddress(engine));
  }
  const agents = rows
    .filter((row) => typeof row.Agent === 'string')
    .map((row) => {
      const [host, port, table] = row.Agent.split(':');
      return { text: row.Agent, host, port: Number(port), table };
    });
  if (agents.length === 0) throw new EngineError(`引擎 ${formatAddress(engine)} 上的 ${engine.table} 不是分布式表（没有分片）`, formatAddress(engine));
  return agents;
}
