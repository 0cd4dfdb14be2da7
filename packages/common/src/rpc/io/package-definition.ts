import protobuf from 'protobufjs/light.js';
import type * as grpc from '@grpc/grpc-js';

/** What grpc.loadPackageDefinition takes (services only here). */
export type PackageDefinition = Parameters<typeof grpc.loadPackageDefinition>[0];

/** How decoded messages look: the options the generated types in src/generated were made with. */
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true, oneofs: true };

function serializer(type: protobuf.Type): grpc.serialize<object> {
  return (value) => {
    if (Array.isArray(value)) throw new Error(`cannot serialize an array as ${type.name}`);
    // protobufjs writes into a Node Buffer under Node (its BufferWriter).
    return type.encode(type.fromObject(value)).finish() as Buffer;
  };
}

function deserializer(type: protobuf.Type): grpc.deserialize<object> {
  return (bytes) => type.toObject(type.decode(bytes), TO_OBJECT);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function serviceDefinition(service: protobuf.Service, fullName: string): grpc.ServiceDefinition {
  const methods: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const method of service.methodsArray) {
    const request = method.resolvedRequestType;
    const response = method.resolvedResponseType;
    if (!request || !response) throw new Error(`${fullName}.${method.name}: unresolved types`);
    methods[method.name] = {
      path: `/${fullName}/${method.name}`,
      requestStream: Boolean(method.requestStream),
      responseStream: Boolean(method.responseStream),
      requestSerialize: serializer(request),
      requestDeserialize: deserializer(request),
      responseSerialize: serializer(response),
      responseDeserialize: deserializer(response),
      originalName: lowerFirst(method.name),
    };
  }
  return methods;
}

function collectServices(ns: protobuf.NamespaceBase, prefix: string, out: PackageDefinition): void {
  for (const child of ns.nestedArray) {
    const fullName = prefix ? `${prefix}.${child.name}` : child.name;
    if (child instanceof protobuf.Service) out[fullName] = serviceDefinition(child, fullName);
    else if (child instanceof protobuf.Namespace) collectServices(child, fullName, out);
  }
}

/**
 * The gRPC package definition of the services in a protobufjs JSON descriptor: for each method its
 * path, streaming flags and (de)serializers, which is all grpc-js needs to make clients and
 * servers. Built on protobufjs/light, without the reflection descriptors @grpc/proto-loader also
 * computes (for server reflection, which shoal does not serve): those cost more at start than the
 * rest together. Messages are not in the result, only services.
 */
export function servicesFromJSON(json: protobuf.INamespace): PackageDefinition {
  const root = protobuf.Root.fromJSON(json);
  root.resolveAll();
  const out: PackageDefinition = {};
  collectServices(root, '', out);
  return out;
}
