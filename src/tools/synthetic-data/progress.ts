/** A one-line progress report on stderr (rewritten in place on a terminal, every few seconds otherwise). */
export class SeedProgress {
  private done_ = 0;
  private readonly started = Date.now();
  private lastWrite = 0;

  constructor(
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  advance(cases: number): void {
    this.done_ += cases;
    const now = Date.now();
    if (!this.enabled || now - this.lastWrite < (process.stderr.isTTY ? 250 : 5000)) return;
    this.lastWrite = now;
    const seconds = (now - this.started) / 1000;
    const rate = this.done_ / Math.max(seconds, 0.001);
    const eta = Math.round((this.total - this.done_) / Math.max(rate, 1));
    this.write(`seed: ${this.done_.toLocaleString('en')}/${this.total.toLocaleString('en')} cases (${Math.floor((100 * this.done_) / this.total)}%), ${Math.round(rate).toLocaleString('en')} cases/s, about ${eta}s left`);
  }

  phase(text: string): void {
    if (this.enabled) this.write(`seed: ${this.done_.toLocaleString('en')} cases loaded at ${this.elapsed()}s; ${text}…`);
  }

  done(): void {
    if (this.enabled) this.write(`seed: ${this.done_.toLocaleString('en')} cases in ${this.elapsed()}s\n`);
  }

  private elapsed(): number {
    return Math.round((Date.now() - this.started) / 1000);
  }

  private write(line: string): void {
    process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
  }
}
