import os from "node:os";

/** The keyring's system calls by architecture (`AUDIT_ARCH_*`), as the kernel numbers them. */
const KEYRING_CALLS: ReadonlyArray<{ arch: number; calls: readonly number[] }> = [
  // x86_64, and its x32 ABI (the same numbers with bit 30 set)
  { arch: 0xc000003e, calls: [248, 249, 250, 0x400000f8, 0x400000f9, 0x400000fa] },
  { arch: 0x40000003, calls: [286, 287, 288] }, // i386
  { arch: 0xc00000b7, calls: [217, 218, 219] }, // aarch64
  { arch: 0x40000028, calls: [309, 310, 311] }, // arm
  { arch: 0xc00000f3, calls: [217, 218, 219] }, // riscv64
  { arch: 0xc0000102, calls: [217, 218, 219] }, // loongarch64
  { arch: 0xc0000015, calls: [269, 270, 271] }, // ppc64le
  { arch: 0x80000016, calls: [278, 279, 280] }, // s390x
];

const LOAD_WORD = 0x20; // BPF_LD | BPF_W | BPF_ABS
const JUMP_IF_EQUAL = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const RETURN = 0x06; // BPF_RET | BPF_K
const ALLOW = 0x7fff0000; // SECCOMP_RET_ALLOW
const REFUSE = 0x00050000 | 1; // SECCOMP_RET_ERRNO | EPERM
/** Offsets in struct seccomp_data. */
const SYSCALL_NUMBER = 0;
const ARCHITECTURE = 4;

interface Instruction {
  code: number;
  jumpIfTrue: number;
  jumpIfFalse: number;
  value: number;
}

/**
 * For each architecture: load it, skip the block when it is another; load the call's number, and
 * jump to the refusal at the end when it is a keyring call; else allow. Unknown architectures are
 * allowed (bwrap's own default).
 */
function compile(): Buffer {
  const program: Instruction[] = [];
  const refusalJumps: number[] = [];
  for (const { arch, calls } of KEYRING_CALLS) {
    program.push({ code: LOAD_WORD, jumpIfTrue: 0, jumpIfFalse: 0, value: ARCHITECTURE });
    // Past this block's number load, its comparisons and its allow.
    program.push({ code: JUMP_IF_EQUAL, jumpIfTrue: 0, jumpIfFalse: calls.length + 2, value: arch });
    program.push({ code: LOAD_WORD, jumpIfTrue: 0, jumpIfFalse: 0, value: SYSCALL_NUMBER });
    for (const call of calls) {
      refusalJumps.push(program.length);
      program.push({ code: JUMP_IF_EQUAL, jumpIfTrue: 0, jumpIfFalse: 0, value: call });
    }
    program.push({ code: RETURN, jumpIfTrue: 0, jumpIfFalse: 0, value: ALLOW });
  }
  program.push({ code: RETURN, jumpIfTrue: 0, jumpIfFalse: 0, value: ALLOW });
  const refusal = program.length;
  program.push({ code: RETURN, jumpIfTrue: 0, jumpIfFalse: 0, value: REFUSE });
  // A jump counts from the next instruction.
  for (const at of refusalJumps) program[at]!.jumpIfTrue = refusal - at - 1;
  return encode(program);
}

/** struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; } in the machine's byte order. */
function encode(program: readonly Instruction[]): Buffer {
  const little = os.endianness() === "LE";
  const buffer = Buffer.alloc(program.length * 8);
  program.forEach((instruction, index) => {
    const at = index * 8;
    if (instruction.jumpIfTrue > 255 || instruction.jumpIfFalse > 255)
      throw new Error("seccomp jump too far");
    if (little) buffer.writeUInt16LE(instruction.code, at);
    else buffer.writeUInt16BE(instruction.code, at);
    buffer.writeUInt8(instruction.jumpIfTrue, at + 2);
    buffer.writeUInt8(instruction.jumpIfFalse, at + 3);
    if (little) buffer.writeUInt32LE(instruction.value >>> 0, at + 4);
    else buffer.writeUInt32BE(instruction.value >>> 0, at + 4);
  });
  return buffer;
}

/**
 * A seccomp filter (classic BPF, as bwrap's `--seccomp` reads it) that refuses the kernel keyring:
 * `add_key`, `request_key` and `keyctl` fail with EPERM, as in Docker's default profile. The
 * keyring is not namespaced: a command's key would land in the keyring of the uid the sandbox maps
 * to (root's, when the app runs as root), where the host and every later command could read it.
 * Everything else is allowed; the sandbox's other walls are its namespaces and mounts.
 */
export const KEYRING_FILTER: Buffer = compile();
