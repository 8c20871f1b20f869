import hashlib, subprocess
ch = bytes.fromhex("0011223344556677")
def rsa_vec(keyfile, bits, hname, explicit_id, out, desc):
    k = bits//8
    hl = hashlib.new(hname).digest_size
    t = 2 if explicit_id else 1
    cap = k-1-hl-t
    m1 = b""; i = 0
    while len(m1) < cap:
        m1 += hashlib.sha256(b"M1 %d" % i).digest(); i += 1
    m1 = m1[:cap]
    d = hashlib.new(hname, m1+ch).digest()
    F = bytes([0x6A]) + m1 + d + (bytes([explicit_id, 0xCC]) if explicit_id else bytes([0xBC]))
    assert len(F) == k
    open("/tmp/F.bin","wb").write(F)
    subprocess.check_call(["openssl","pkeyutl","-decrypt","-keyform","DER","-inkey",keyfile,"-pkeyopt","rsa_padding_mode:none","-in","/tmp/F.bin","-out","/tmp/S.bin"])
    s = open("/tmp/S.bin","rb").read()
    assert len(s) == k
    with open(out,"w") as f:
        f.write(desc)
        f.write("challenge = %s\n" % ch.hex())
        f.write("m1 = %s\n" % m1.hex())
        f.write("representative = %s\n" % F.hex())
        f.write("signature = %s\n" % s.hex())
rsa_vec("../keys/rsa-2048.pkcs8.der", 2048, "sha256", 0x34, "aa-rsa2048-sha256.txt",
 "# ISO/IEC 9796-2 scheme 1 partial recovery, trailer '34CC' (SHA-256):\n# F built with Python hashlib, signed with the raw RSA private-key\n# operation of OpenSSL 3.0 (pkeyutl -decrypt -pkeyopt\n# rsa_padding_mode:none), key keys/rsa-2048.pkcs8.der.\n")
rsa_vec("../keys/rsa-4096.pkcs8.der", 4096, "sha1", None, "aa-rsa4096-sha1.txt",
 "# ISO/IEC 9796-2 scheme 1 partial recovery, trailer 'BC' (SHA-1):\n# F built with Python hashlib, signed with the raw RSA private-key\n# operation of OpenSSL 3.0 (pkeyutl -decrypt -pkeyopt\n# rsa_padding_mode:none), key keys/rsa-4096.pkcs8.der.\n")
for curve, hname in [("brainpoolP256r1","sha256"),("brainpoolP384r1","sha384"),("prime256v1","sha256")]:
    open("/tmp/ch.bin","wb").write(ch)
    kf = "../keys/ec-%s.pkcs8.der" % curve
    subprocess.check_call(["openssl","dgst","-"+hname,"-keyform","DER","-sign",kf,"-out","/tmp/sig.der","/tmp/ch.bin"])
    sig = open("/tmp/sig.der","rb").read()
    with open("aa-ecdsa-%s-%s.txt" % (curve, hname),"w") as f:
        f.write("# ECDSA on %s over the challenge with %s, signed by OpenSSL 3.0\n# (dgst -%s -sign), key keys/ec-%s.pkcs8.der. The signature is the DER\n# Ecdsa-Sig-Value OpenSSL writes; the test turns it into plain r || s.\n" % (curve, hname.upper(), hname, curve))
        f.write("challenge = %s\n" % ch.hex())
        f.write("signature-der = %s\n" % sig.hex())
