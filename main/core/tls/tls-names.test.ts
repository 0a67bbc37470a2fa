import { expect, it } from 'vitest';
import { alertName, cipherSuiteName, contentTypeName, extensionName, groupName, handshakeTypeName, isGrease, signatureSchemeName, versionName } from './tls-names';

it('names what Lockstep meets, including hybrid post-quantum groups', () => {
  expect([0x1301, 0x1302, 0x1303].map(cipherSuiteName)).toEqual(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);
  expect([0x001d, 0x0017, 0x11ec, 0x11eb, 0x11ed].map(groupName)).toEqual(['X25519', 'secp256r1', 'X25519MLKEM768', 'SecP256r1MLKEM768', 'SecP384r1MLKEM1024']);
  expect([0x0403, 0x0804, 0x0807].map(signatureSchemeName)).toEqual(['ecdsa_secp256r1_sha256', 'rsa_pss_rsae_sha256', 'ed25519']);
  expect([0, 16, 43, 51].map(extensionName)).toEqual(['server_name', 'application_layer_protocol_negotiation', 'supported_versions', 'key_share']);
  expect([8, 11, 13, 15, 20, 4, 24].map(handshakeTypeName)).toEqual(['EncryptedExtensions', 'Certificate', 'CertificateRequest', 'CertificateVerify', 'Finished', 'NewSessionTicket', 'KeyUpdate']);
  expect([20, 21, 22, 23].map(contentTypeName)).toEqual(['change_cipher_spec', 'alert', 'handshake', 'application_data']);
  expect([0, 20, 42, 116].map(alertName)).toEqual(['close_notify', 'bad_record_mac', 'bad_certificate', 'certificate_required']);
  expect([0x0304, 0x0303, 0x7f1c].map(versionName)).toEqual(['TLS 1.3', 'TLS 1.2', 'TLS 1.3 draft 28']);
});

it('shows unknown codes as hex of the field width, and GREASE as GREASE', () => {
  expect(cipherSuiteName(0x1234)).toBe('0x1234');
  expect(groupName(0x0005)).toBe('0x0005');
  expect(handshakeTypeName(99)).toBe('0x63');
  expect(alertName(7)).toBe('0x07');
  expect(groupName(0x3a3a)).toBe('GREASE(0x3a3a)');
  expect([0x0a0a, 0xfafa, 0x0a1a, 0x1a0a].map(isGrease)).toEqual([true, true, false, false]);
});
