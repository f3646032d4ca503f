import '@testing-library/jest-dom/vitest';

// jsdom has no layout: the router's scroll restoration may call this.
window.scrollTo = () => undefined;
