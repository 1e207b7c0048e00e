import { MongoServerError, type Db, type Document, type TransactionOptions } from 'mongodb';

const COMMAND_NOT_FOUND = 59;

/**
 * Multi-document transactions need a replica set member (`setName`) or a mongos (`msg: 'isdbgrid'`,
 * which also covers Atlas and load-balanced deployments). A standalone server reports neither.
 */
export function supportsTransactions(hello: Document): boolean {
  if (hello.msg === 'isdbgrid') return true;
  return typeof hello.setName === 'string' && hello.setName.length > 0;
}

/**
 * Reads in a transaction must use read preference primary, and a transaction otherwise inherits the
 * client's, so a URL with `readPreference=secondaryPreferred` would make every write fail.
 */
export const TRANSACTION_OPTIONS: TransactionOptions = { readPreference: 'primary' };

export async function helloReply(db: Db): Promise<Document> {
  const admin = db.admin();
  try {
    return await admin.command({ hello: 1 });
  } catch (error) {
    // Servers before 4.4.2 only know the legacy name.
    if (error instanceof MongoServerError && error.code === COMMAND_NOT_FOUND) return admin.command({ isMaster: 1 });
    throw error;
  }
}
