import { expect, test } from "@playwright/test";

test("health endpoints: the process is alive and the database reachable", async ({ request }) => {
  const alive = await request.get("/healthz");
  expect(alive.status()).toBe(200);
  expect(await alive.text()).toBe("ok");

  const ready = await request.get("/readyz");
  expect(ready.status()).toBe(200);
  expect(await ready.text()).toBe("ready");
});

test("the favicon is served", async ({ request }) => {
  for (const path of ["/favicon.ico", "/favicon.svg"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
  }
});
