; mbr.asm - the selfos master boot record: the first 512 bytes of the disk.
;
; The BIOS loaded this sector at 0x7C00 and jumped to it in 16-bit real mode
; with DL = the drive it booted from. Our one job: load the image header and
; stage2 (MBR_LOAD_SECTORS = 33 sectors from LBA 1: the header sector plus the
; largest stage2 allowed; tools/mkimage refuses a bigger one) to 0x7E00,
; check that stage2 is really there, and jump to it. bootloader/README.md walks through this file step by step.
;
; Hand-off to stage2 (stage2/README.md, "state on entry"):
;   CS:IP = 0000:8000, DS = ES = SS = 0, SP = 0x7C00, DF = 0, IF = 1
;   DL  = BIOS boot drive (0x00 floppy / USB-FDD, 0x80 first disk)
;   EDI = TSC low 32 bits, ESI = TSC high 32 bits, read once the disk checks
;         are done (label `load`)
;   0x7E00 = image header sector (LBA 1), 0x8000 = stage2 (LBA 2...)

%include "lib/layout.inc"
%include "lib/image.inc"

bits 16
org MBR_LOAD_ADDR

READ_TRIES  equ 3           ; floppy motors may need several tries to spin up

start:
    ; A BIOS that emulates a USB stick as a floppy (USB-FDD) looks for a BIOS
    ; parameter block at bytes 3..89 and may write its own geometry there.
    ; Keep the classic FAT prologue (jmp short + nop) and no code in that area.
    jmp short entry
    nop
vars:                           ; scratch, see "normalized" below
    times 90 - ($ - $$) db 0

; Variables, as offsets from BP = vars (all zero at start but for the DAP).
dap_size    equ 0               ; disk address packet for AH=42h (16 bytes)
dap_count   equ 2
dap_offset  equ 4
dap_segment equ 6
dap_lba     equ 8               ; 64-bit
v_spt       equ 16              ; sectors per track; 0 = LBA mode
v_heads     equ 18
v_chunk     equ 20              ; sectors in the current request
v_drive     equ 22
v_status    equ 23              ; last BIOS error status
v_tries     equ 24
VARS_WORDS  equ 13

entry:
    ; Some BIOSes jump to 07C0:0000 instead of 0000:7C00. Every address here
    ; assumes CS = 0, so reload CS with a far jump before anything else.
    jmp 0:normalized
normalized:
    ; SS and SP change together with interrupts off: an interrupt in between
    ; would push onto the old SP in the new segment.
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, BOOT_STACK_TOP
    sti
    cld                         ; string ops go up; a BIOS may leave DF set

    ; Our variables live in the BPB area: the BIOS has finished writing
    ; there before it jumped to us, so from now on it is free scratch space.
    ; The first 16 bytes are the disk address packet for AH=42h, whose
    ; count/offset/LBA fields double as the read loop's position.
    mov bp, vars
    mov di, bp
    mov cx, VARS_WORDS
    rep stosw                   ; AX = 0 from above
    mov byte [bp + dap_size], 16
    mov byte [bp + dap_offset + 1], IMAGE_HEADER_ADDR >> 8
    inc byte [bp + dap_lba]     ; IMAGE_HEADER_LBA = 1
    mov [bp + v_drive], dl      ; 0x00 for a floppy or USB-FDD, 0x80 for a disk

    ; int 13h AH=41h: are the EDD extensions (LBA reads) present?
    ;   in:  AH = 41h, BX = 55AAh, DL = drive
    ;   out: CF clear, BX = AA55h, CX bit 0 = AH=42h..44h supported
    ; All three must hold: some BIOSes clear CF but leave BX untouched, and
    ; USB-FDD emulation answers with CX bit 0 clear.
    mov ah, 0x41
    mov bx, 0x55AA
    int 0x13
    jc .use_chs
    cmp bx, 0xAA55
    jne .use_chs
    shr cx, 1
    jc load                     ; v_spt stays 0: LBA mode

.use_chs:
    ; int 13h AH=08h: drive geometry, for CHS reads.
    ;   in:  AH = 08h, DL = drive, ES:DI = 0000:0000 (some BIOSes hand back
    ;        a floppy table through ES:DI and misbehave if it is garbage)
    ;   out: CF clear, CL[5:0] = sectors per track, DH = last head index,
    ;        DL = number of drives (so the drive is re-read from memory:
    ;        DL may also be lost after a failed AH=41h), and for floppies
    ;        ES:DI = the diskette parameter table (ES = F000h on SeaBIOS):
    ;        ES must be reset, or the reads below land in the BIOS ROM.
    mov ah, 0x08
    mov dl, [bp + v_drive]
    xor di, di
    int 0x13
    push ds
    pop es
    mov si, msg_geometry
    jc fail
    and cx, 0x3F
    ; SeaBIOS reports 0 sectors per track for USB sticks under 32 MiB (and
    ; such a stick has LBA anyway); CHS arithmetic would divide by zero.
    jz fail
    mov [bp + v_spt], cx
    movzx dx, dh
    inc dx                      ; heads = last index + 1 (up to 256)
    mov [bp + v_heads], dx

load:
    ; TSC for the boot timeline, kept on the stack until the jump. rdtsc
    ; exists on every CPU since the Pentium; on an older one it is #UD and
    ; the machine hangs here, but such a CPU cannot run selfos anyway and
    ; there are no bytes left in this sector to say so.
    rdtsc
    push eax
    push edx

    ; Always MBR_LOAD_SECTORS (33: the header and a stage2 of up to 16 KiB).
    ; 0x7E00 + 33 sectors ends at 0xC000, so no read crosses a 64 KiB DMA
    ; boundary and no call asks for more than 127 sectors (the EDD limit).
    ; Reading a little of the kernel after a small stage2 is harmless:
    ; stage2 clears its own bss. (Each sector costs time: SeaBIOS reads IDE
    ; disks with programmed I/O.)
    mov di, MBR_LOAD_SECTORS    ; DI = sectors still to read

next_chunk:
    test di, di
    jz loaded
    mov [bp + v_chunk], di      ; CHS reads clamp this to the track end
.new_size:
    mov byte [bp + v_tries], READ_TRIES
.try:
    mov cx, [bp + v_spt]
    jcxz .lba
    ; int 13h AH=02h: CHS read.
    ;   in:  AH = 02h, AL = count, CH = cylinder[7:0], CL = sector (from 1)
    ;        | cylinder[9:8] << 6, DH = head, DL = drive, ES:BX = buffer
    ;   out: CF clear on success, AH = status
    ; Floppy controllers and old BIOSes cannot read across a track, so the
    ; count is clamped to the sectors left in the current one.
    mov ax, [bp + dap_lba]
    xor dx, dx
    div cx                      ; AX = track, DX = sector index in it
    sub cx, dx
    cmp [bp + v_chunk], cx
    jbe .fits_track
    mov [bp + v_chunk], cx
.fits_track:
    mov cx, dx
    inc cx                      ; CL = sector number, counted from 1
    xor dx, dx
    div word [bp + v_heads]     ; AX = cylinder, DX = head
    mov dh, dl
    mov ch, al                  ; LBA < 66: the cylinder never needs bits 8-9
    mov bx, [bp + dap_offset]
    mov ax, [bp + v_chunk]
    mov ah, 0x02
    jmp .call
.lba:
    ; int 13h AH=42h: extended read.
    ;   in:  AH = 42h, DL = drive, DS:SI = disk address packet
    ;   out: CF clear on success, AH = status; a failed call may overwrite
    ;        the packet's count, so it is set before every call.
    mov ax, [bp + v_chunk]
    mov [bp + dap_count], ax
    mov si, bp
    mov ah, 0x42
.call:
    mov dl, [bp + v_drive]
    int 0x13
    jnc .read_ok
    mov [bp + v_status], ah
    ; int 13h AH=00h: reset the disk system, then try again.
    ;   in: AH = 00h, DL = drive   out: CF set on error
    xor ax, ax
    mov dl, [bp + v_drive]
    int 0x13
    dec byte [bp + v_tries]
    jnz .try
    ; Still failing: some BIOSes and USB sticks reject large transfers.
    ; Halve the request, down to one sector, before giving up.
    shr word [bp + v_chunk], 1
    jnz .new_size
    ; Write the status as two hex digits into the message, then fail.
    ; cmp/sbb/das turns 0..15 in AL into '0'..'9', 'A'..'F'.
    mov al, [bp + v_status]
    aam 16                      ; AH = high nibble, AL = low nibble
    cmp al, 10
    sbb al, 0x69
    das
    xchg al, ah
    cmp al, 10
    sbb al, 0x69
    das
    mov [msg_status], ax        ; high digit, then low digit
    mov si, msg_read
    jmp fail

.read_ok:
    mov ax, [bp + v_chunk]
    add [bp + dap_lba], ax
    sub di, ax
    shl ax, 9                   ; sectors -> bytes
    add [bp + dap_offset], ax
    jmp next_chunk

loaded:
    ; stage2 begins with a 2-byte jmp short and then STAGE2_MAGIC: proof that
    ; what arrived is stage2 and not an empty or foreign disk.
    mov si, msg_stage2
    cmp dword [STAGE2_LOAD_ADDR + 2], STAGE2_MAGIC
    jne fail
    pop esi                     ; TSC high
    pop edi                     ; TSC low
    mov dl, [bp + v_drive]
    jmp STAGE2_LOAD_ADDR        ; CS is already 0

; fail: print "MBR: <message at SI>", hand back to the BIOS.
fail:
    push si
    mov si, msg_prefix
    call print
    pop si
    call print
    ; int 18h: "no bootable disk": the BIOS tries the next boot device or
    ; shows its own message. Should it return, halt for good.
    int 0x18
.halt:
    cli
    hlt
    jmp .halt

; print: the NUL-terminated string at SI.
print:
    lodsb
    test al, al
    jz .done
    ; int 10h AH=0Eh: teletype output.
    ;   in: AH = 0Eh, AL = character, BH = page 0 (BL: colour, graphics only)
    mov ah, 0x0E
    xor bx, bx
    int 0x10
    jmp print
.done:
    ret

msg_prefix:   db "MBR: ", 0
msg_geometry: db "no geometry", 13, 10, 0
msg_read:     db "read error 0x"
msg_status:   db "??", 13, 10, 0
msg_stage2:   db "no stage2", 13, 10, 0

code_end:
%if code_end - $$ > MBR_DISK_SIG_OFF
%error "MBR code overlaps the disk signature at 0x1B8"
%endif
    ; Disk signature, partition table: written by mkimage, never by code.
    times MBR_SIGNATURE_OFF - ($ - $$) db 0
    dw 0xAA55
