// Kubernetes protobuf wire format, decoded straight from the bytes into the JSON-shaped objects the rows read.
export { decodeObject, protobufDecoder } from "./decoder.ts";
