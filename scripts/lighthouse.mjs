// Lighthouse over every citizen page of a running server, on one of two
// profiles, against the project's goals (see scripts/lighthouse.sh):
//   phone  Lighthouse's own phone profile (a mid-range phone on slow 4G):
//          performance >= 98; accessibility, best practices, SEO 100
//   slow   a cheap phone on slow 3G (simulated: RTT 300 ms, 400 kbps down,
//          CPU 6x slower): performance >= 95, largest paint <= 2.5 s
// Each page is measured LH_RUNS times (default 3); the median run is shown.
// A booking is made first, so that the ticket page can be measured too.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [profile = "phone", lighthouse] = process.argv.slice(2);
const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const runs = Number(process.env.LH_RUNS ?? 3);
const office = process.env.LH_OFFICE ?? "tw-ha-noi";
const PROFILES = {
  phone: {
    categories: ["performance", "accessibility", "best-practices", "seo"],
    flags: [],
    goals: { performance: 98, accessibility: 100, "best-practices": 100, seo: 100 },
  },
  slow: {
    categories: ["performance"],
    flags: [
      "--throttling-method=simulate",
      "--throttling.rttMs=300",
      "--throttling.throughputKbps=400",
      "--throttling.cpuSlowdownMultiplier=6",
    ],
    goals: { performance: 95 },
    lcpMs: 2500,
  },
};
const chosen = PROFILES[profile];
if (!chosen || !lighthouse) {
  console.error("usage: lighthouse.mjs phone|slow PATH_TO_LIGHTHOUSE_BIN");
  process.exit(2);
}

/** A bookable day of the office, and the private link of a fresh booking. */
async function prepare() {
  const slots = await (await fetch(`${base}/api/slots?office=${office}&days=31`)).json();
  if (!slots.length) throw new Error(`no bookable slot at ${office}`);
  const slot = slots[Math.floor(Math.random() * slots.length)];
  const citizenId = "001" + String(Math.floor(Math.random() * 1e9)).padStart(9, "0");
  const form = new URLSearchParams({
    slot_id: String(slot.id),
    full_name: "Nguyễn Văn Đo",
    citizen_id: citizenId,
    phone: "0912345678",
    email: "",
    topic: "petition",
    summary: "Đo tốc độ trang phiếu hẹn bằng Lighthouse.",
    party_size: "1",
    consent: "true",
  });
  // A plain form post, as a browser without JavaScript sends it: the
  // answer is the redirect to the ticket page.
  const res = await fetch(`${base}/api/bookings/create`, {
    method: "POST",
    body: form,
    headers: { accept: "text/html" },
    redirect: "manual",
  });
  const ticket = res.headers.get("location");
  if (!ticket || !ticket.startsWith("/my-booking?t=")) {
    throw new Error(`booking for the ticket page failed: ${res.status} ${await res.text()}`);
  }
  return { day: slot.starts_at.slice(0, 10), ticket };
}

function measure(url) {
  const dir = mkdtempSync(join(tmpdir(), "lh-"));
  try {
    execFileSync(
      lighthouse,
      [
        url,
        "--quiet",
        "--output=json",
        `--output-path=${dir}/report.json`,
        `--only-categories=${chosen.categories.join(",")}`,
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync",
        ...chosen.flags,
      ],
      { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? "/usr/bin/chromium" }, stdio: ["ignore", "ignore", "inherit"] },
    );
    const report = JSON.parse(readFileSync(`${dir}/report.json`, "utf8"));
    const score = (k) => (report.categories[k] ? Math.round(report.categories[k].score * 100) : "-");
    const audit = (k) => report.audits[k].numericValue;
    // A private page (the ticket) asks search engines not to index it: the
    // one SEO audit that may fail there, on purpose.
    const seoBesidesIndexing = report.categories.seo?.auditRefs
      .filter((ref) => ref.weight > 0 && ref.id !== "is-crawlable")
      .every((ref) => report.audits[ref.id].score === 1);
    return {
      performance: score("performance"),
      accessibility: score("accessibility"),
      "best-practices": score("best-practices"),
      seo: score("seo"),
      seoBesidesIndexing,
      fcp: audit("first-contentful-paint"),
      lcp: audit("largest-contentful-paint"),
      tbt: audit("total-blocking-time"),
      bytes: audit("total-byte-weight"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { day, ticket } = await prepare();
// [name, path, private (noindex on purpose)]
const pages = [
  ["/", "/"],
  [`/book/${office}`, `/book/${office}`],
  [`/book/…?day=`, `/book/${office}?day=${day}`],
  ["/my-booking", "/my-booking"],
  ["ticket page", ticket, true],
  ["/track", "/track"],
  ["/contact", "/contact"],
  ["/privacy", "/privacy"],
];

const goals = chosen.goals;
console.log(`Lighthouse 12.8, ${profile} profile, median of ${runs} run(s) per page`);
console.log(
  "goals: " +
    Object.entries(goals)
      .map(([k, v]) => `${k} >= ${v}`)
      .join(", ") +
    (chosen.lcpMs ? `, LCP <= ${chosen.lcpMs / 1000} s` : ""),
);
const header = ["page", "perf", "a11y", "bp", "seo", "FCP s", "LCP s", "TBT ms", "KB sent"];
const widths = [16, 5, 5, 5, 5, 6, 6, 7, 7];
const row = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(" ");
console.log(row(header));
let failed = 0;
for (const [name, path, isPrivate] of pages) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(measure(base + path));
  results.sort((a, b) => a.performance - b.performance || b.lcp - a.lcp);
  const r = results[Math.floor(results.length / 2)];
  const low = Object.keys(goals).filter(
    (k) => r[k] < goals[k] && !(k === "seo" && isPrivate && r.seoBesidesIndexing),
  );
  if (chosen.lcpMs && r.lcp > chosen.lcpMs) low.push("LCP");
  if (low.length) failed++;
  console.log(
    row([
      name,
      r.performance,
      r.accessibility,
      r["best-practices"],
      r.seo,
      (r.fcp / 1000).toFixed(2),
      (r.lcp / 1000).toFixed(2),
      Math.round(r.tbt),
      (r.bytes / 1024).toFixed(1),
    ]) +
      (isPrivate && r.seo !== "-" && r.seo < 100 && r.seoBesidesIndexing ? "  (noindex: a private page)" : "") +
      (low.length ? `  BELOW THE GOAL: ${low.join(", ")}` : ""),
  );
}
console.log(failed ? `${failed} page(s) below the goals` : "every page meets the goals");
process.exit(failed ? 1 : 0);
