export { base64urlDecode, base64urlDecodeString, base64urlEncode, base64urlEncodeString, utf8Decode, utf8Encode } from './base64url.js';
