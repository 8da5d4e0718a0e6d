// The mysqldump scanner counts rows through tricky string literals in both INSERT layouts.
import { describe, expect, it } from 'vitest';
import { countTuples, createMysqlScanner } from './mysql-sql.js';

const scan = async (text: string, split = 7) => {
  const s = createMysqlScanner();
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i += split) await s.write(buf.subarray(i, i + split));
  return s.end(false);
};

describe('mysqldump scanning', () => {
  it('counts tuples, ignoring parentheses and quotes inside strings', () => {
    const line = Buffer.from(
      "INSERT INTO `t` VALUES (1,'a),(b'),(2,'it\\'s (x)'),(3,'x''y('),(4,NULL);\n",
    );
    expect(countTuples([line.subarray(0, 30), line.subarray(30)], 23)).toBe(4);
  });

  it('reads one-row-per-line INSERTs, databases, empty tables and the trailer across odd chunk splits', async () => {
    const dump = [
      '/*M!999999\\- enable the sandbox mode */',
      'USE `shop`;',
      '-- Table structure for table `empty`',
      '-- Dumping data for table `orders`',
      'INSERT INTO `orders` VALUES',
      "(1,'a\\\\'),",
      "(2,'(b)');",
      "INSERT INTO `orders` VALUES (3,'c'),(4,'d');",
      '-- Dump completed on 2026-11-27 15:29:36',
      '',
    ].join('\n');
    const result = await scan(dump);
    const orders = result.tables.find((t) => t.name === 'shop.orders');
    expect(orders?.rows).toBe(4);
    expect(result.tables.find((t) => t.name === 'shop.empty')?.rows).toBe(0);
    expect(result.proofs.map((p) => p.level)).toEqual(['INFO', 'INFO']);
    expect((await scan(dump, 3)).tables.find((t) => t.name === 'shop.orders')?.sha256).toBe(
      orders?.sha256,
    );
  });

  it('reports a missing trailer as ERROR', async () => {
    const result = await scan("USE `a`;\nINSERT INTO `t` VALUES (1,'x');\n");
    expect(result.proofs[0]).toMatchObject({ level: 'ERROR' });
  });
});
