// Bundle-time stand-in for `@smithy/core/event-streams` (see esbuild.config.mjs): the SDK's HTTP
// protocol imports it dynamically for operations that stream events, and none of the operations we
// call (SSO OIDC, the SSO portal, STS AssumeRole) does. 14 KB of the SDK bundle, never run.
'use strict';
const absent = (name) =>
  function () {
    throw new Error(`${name}: event streams are not bundled with aws-sso-profiles (no operation it calls uses them)`);
  };
for (const name of [
  'EventStreamCodec', 'HeaderMarshaller', 'Int64', 'MessageDecoderStream', 'MessageEncoderStream', 'SmithyMessageDecoderStream',
  'SmithyMessageEncoderStream', 'EventStreamMarshaller', 'eventStreamSerdeProvider', 'readableStreamToIterable', 'iterableToReadableStream',
  'UniversalEventStreamMarshaller', 'universalEventStreamSerdeProvider', 'getChunkedStream', 'getUnmarshalledStream', 'getMessageUnmarshaller',
  'resolveEventStreamSerdeConfig', 'EventStreamSerde',
]) exports[name] = absent(name);
