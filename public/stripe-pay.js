// Mounts Stripe's Payment Element on the pay page and confirms the payment with Stripe.
// Card details go from Stripe's frames to Stripe; the order is confirmed by the webhook (or
// by the order page asking Stripe when the shopper comes back).
(function () {
  const form = document.getElementById("stripe-payment");
  if (!form || typeof Stripe !== "function") return;
  const stripe = Stripe(form.dataset.key);
  const elements = stripe.elements({ clientSecret: form.dataset.secret });
  elements.create("payment").mount("#stripe-element");
  const error = document.getElementById("stripe-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    error.textContent = "";
    const returnUrl = new URL(form.dataset.return, window.location.origin).href;
    const result = await stripe.confirmPayment({ elements, confirmParams: { return_url: returnUrl } });
    // Only reached when the payment could not be confirmed (otherwise Stripe redirects).
    error.textContent = result.error ? result.error.message : "The payment could not be completed.";
    button.disabled = false;
  });
})();
