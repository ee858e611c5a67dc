// A throwaway certificate authority and serving certificate, made at start so that clients exercise the same TLS
// path as against a real cluster (CA data in the kubeconfig, hostname/IP verification). ECDSA P-256 keeps it ~10 ms.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

export interface ServingCerts {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const crypto = webcrypto as unknown as Crypto;
const ecdsa = { name: "ECDSA", namedCurve: "P-256" } as const;
const signing = { name: "ECDSA", hash: "SHA-256" } as const;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, "$&\n").replace(/\n?$/, "\n")}-----END ${label}-----\n`;
}

/** A CA and a certificate it signs for 127.0.0.1, ::1 and localhost (IP SANs: clients verify the IP they dial). */
export async function makeServingCerts(hosts: string[] = ["127.0.0.1", "localhost"]): Promise<ServingCerts> {
  x509.cryptoProvider.set(crypto);
  const now = Date.now();
  const notBefore = new Date(now - 60 * 60 * 1000);
  const notAfter = new Date(now + 365 * 24 * 60 * 60 * 1000);
  const caKeys = (await subtle.generateKey(ecdsa, true, ["sign", "verify"])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=timoneiro-sim-ca",
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: signing,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = (await subtle.generateKey(ecdsa, true, ["sign", "verify"])) as CryptoKeyPair;
  const names = [...new Set([...hosts, "::1"])].map((h) =>
    /^[\d.]+$/.test(h) || h.includes(":") ? { type: "ip" as const, value: h } : { type: "dns" as const, value: h },
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: "02",
    subject: "CN=timoneiro-sim",
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: signing,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keyDer = await subtle.exportKey("pkcs8", keys.privateKey);
  return { caPem: ca.toString("pem") + "\n", certPem: cert.toString("pem") + "\n", keyPem: pem("PRIVATE KEY", keyDer) };
}
