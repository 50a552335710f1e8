/**
 * Lists an OPC UA server's address space below Objects, to help write bindings (`plantfabric browse`).
 */
export interface BrowseEntry {
  depth: number;
  nodeId: string;
  browseName: string;
  nodeClass: string;
  /** For variables: the data type's name. */
  dataType?: string;
}

export interface BrowseOptions {
  /** How many levels below Objects. Default 4. */
  depth?: number;
  /** Stop after this many nodes. Default 5000. */
  limit?: number;
}

/** Browses anonymously with security None; servers that demand security need a connector entry instead. */
export async function browseOpcua(endpoint: string, options: BrowseOptions = {}): Promise<BrowseEntry[]> {
  const opcua = await import('node-opcua');
  const maxDepth = options.depth ?? 4;
  const limit = options.limit ?? 5000;
  const client = opcua.OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 } });
  await client.connect(endpoint);
  const entries: BrowseEntry[] = [];
  try {
    const session = await client.createSession();
    const visit = async (nodeId: string, depth: number): Promise<void> => {
      if (depth > maxDepth || entries.length >= limit) return;
      const result = await session.browse({
        nodeId,
        referenceTypeId: 'HierarchicalReferences',
        includeSubtypes: true,
        browseDirection: opcua.BrowseDirection.Forward,
        resultMask: 0x3f,
      });
      for (const reference of result.references ?? []) {
        if (entries.length >= limit) return;
        const child = reference.nodeId.toString();
        const entry: BrowseEntry = { depth, nodeId: child, browseName: reference.browseName.toString(), nodeClass: opcua.NodeClass[reference.nodeClass] ?? String(reference.nodeClass) };
        if (reference.nodeClass === opcua.NodeClass.Variable) {
          const dataType = await session.read({ nodeId: child, attributeId: opcua.AttributeIds.DataType });
          const typeId = dataType.value.value as { toString(): string } | null;
          if (typeId !== null) {
            const name = await session.read({ nodeId: typeId.toString(), attributeId: opcua.AttributeIds.BrowseName });
            entry.dataType = String((name.value.value as { name?: string } | null)?.name ?? typeId.toString());
          }
        }
        entries.push(entry);
        // Server internals under ns=0 are rarely what a plant binding needs; show them, but do not descend.
        if (reference.nodeClass === opcua.NodeClass.Object && !child.startsWith('ns=0;') && !child.startsWith('i=')) await visit(child, depth + 1);
      }
    };
    await visit('ObjectsFolder', 1);
    await session.close();
  } finally {
    await client.disconnect();
  }
  return entries;
}
