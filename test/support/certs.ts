import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Certificates for the mTLS tests, made with openssl in a folder of the test's own: a CA, and
// leaf certificates it signs. Every key is P-256, every certificate valid for a day.

/** A certificate and its key, as PEM files. */
export interface CertificateFiles {
  cert: string;
  key: string;
}

/** A certificate authority: its certificate signs the leaves issued with it. */
export interface CertificateAuthority extends CertificateFiles {
  /** Issues a certificate for `name`, usable by a TLS server and client both, valid for localhost and 127.0.0.1. */
  issue(name: string): CertificateFiles;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

function newKey(dir: string, name: string): string {
  const key = path.join(dir, `${name}.key`);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key], dir);
  return key;
}

/** Makes a CA named `name` in `dir`. */
export function createCertificateAuthority(dir: string, name: string): CertificateAuthority {
  fs.mkdirSync(dir, { recursive: true });
  const key = newKey(dir, name);
  const cert = path.join(dir, `${name}.pem`);
  openssl(['req', '-x509', '-new', '-key', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`], dir);
  const issue = (leaf: string): CertificateFiles => {
    const leafKey = newKey(dir, leaf);
    const csr = path.join(dir, `${leaf}.csr`);
    const extensions = path.join(dir, `${leaf}.ext`);
    const leafCert = path.join(dir, `${leaf}.pem`);
    fs.writeFileSync(
      extensions,
      ['subjectAltName=DNS:localhost,IP:127.0.0.1', 'extendedKeyUsage=serverAuth,clientAuth', 'basicConstraints=CA:FALSE', ''].join('\n'),
    );
    openssl(['req', '-new', '-key', leafKey, '-out', csr, '-subj', `/CN=${leaf}`], dir);
    openssl(
      ['x509', '-req', '-in', csr, '-CA', cert, '-CAkey', key, '-CAcreateserial', '-out', leafCert, '-days', '1', '-extfile', extensions],
      dir,
    );
    return { cert: leafCert, key: leafKey };
  };
  return { cert, key, issue };
}
