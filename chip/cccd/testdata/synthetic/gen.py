#!/usr/bin/env python3
"""Builds the synthetic DG13 fixtures of this directory.

A minimal DER writer, independent of the Go code under test, lays out
each file as real CCCD cards do (see README.md). Run from this directory:
python3 gen.py. The output is deterministic.
"""


def length(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, value):
    return bytes([tag]) + length(len(value)) + value


def integer(n):
    # Non-negative, small: minimal two's complement.
    b = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big")
    return tlv(0x02, b)


def utf8(s):
    return tlv(0x0C, s.encode("utf-8"))


def printable(s):
    return tlv(0x13, s.encode("ascii"))


def seq(*items):
    return tlv(0x30, b"".join(items))


# OID 1.0.10646.1.0.8: first byte 1*40+0, then base-128 arcs.
def oid_utf8():
    def b128(v):
        out = [v & 0x7F]
        v >>= 7
        while v:
            out.insert(0, 0x80 | (v & 0x7F))
            v >>= 7
        return bytes(out)

    body = bytes([40]) + b128(10646) + b128(1) + b128(0) + b128(8)
    return tlv(0x06, body)


def dg13(fields):
    content = seq(integer(1), oid_utf8(), tlv(0x31, b"".join(fields)))
    return tlv(0x6D, content)


def text_field(n, value, kind):
    return seq(integer(n), kind(value))


def person(residence, expiry="01/01/2035", religion=True, spouse="LÊ THỊ DUNG",
           old_id=True, number="001090012345", name="NGUYỄN VĂN AN",
           dob="01/01/1990", sex="Nam", issue="01/01/2021"):
    f = [
        text_field(1, number, printable),
        text_field(2, name, utf8),
        text_field(3, dob, printable),
        text_field(4, sex, utf8),
        text_field(5, "Việt Nam", utf8),
        text_field(6, "Kinh", utf8),
    ]
    if religion:
        f.append(text_field(7, "Không", utf8))
    f += [
        text_field(8, "Xã Vân Nội, Huyện Đông Anh, Hà Nội", utf8),
        text_field(9, residence, utf8),
        text_field(10, "Nốt ruồi C:1cm trên trước mép phải", utf8),
        text_field(11, issue, printable),
        text_field(12, expiry, utf8),
        seq(integer(13), seq(utf8("NGUYỄN VĂN BÌNH")), seq(utf8("TRẦN THỊ CÚC"))),
    ]
    if spouse is not None:
        if spouse == "":
            f.append(seq(integer(14)))
        else:
            f.append(seq(integer(14), seq(utf8(spouse))))
    if old_id:
        f.append(text_field(15, "012345678", printable))
    f.append(text_field(16, "00112233AABBCCDD", printable))
    return dg13(f)


SHORT = "Số 1 Phố Hàng Bạc, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội"
LONG = ("Số nhà 123, Ngõ 45, Ngách 67, Hẻm 8, Tổ dân phố số 9, Đường Nguyễn Văn Cừ, "
        "Phường Bồ Đề, Quận Long Biên, Thành phố Hà Nội, Việt Nam")

FILES = {
    "full": person(SHORT),
    "long-residence": person(LONG),
    "absent": person(SHORT, religion=False, spouse=None, old_id=False),
    "no-expiry": person(SHORT, expiry="Không thời hạn", spouse="",
                        number="001150067890", name="TRẦN THỊ BÉ",
                        dob="15/06/1950", sex="Nữ", issue="01/01/2021"),
}

if __name__ == "__main__":
    assert len(LONG.encode("utf-8")) > 127
    for name, data in FILES.items():
        h = data.hex().upper()
        lines = [h[i:i + 64] for i in range(0, len(h), 64)]
        with open(name + ".hex", "w") as out:
            out.write("\n".join(lines) + "\n")
        print(name, len(data), "bytes")
